import { Inject, Injectable } from '@nestjs/common';
import { beijingDateDigits } from '../common/beijing-time.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import type { PayeeRecord, TransferRecord } from '../state/sandbox-state.js';
import { StateStore } from '../state/state-store.service.js';
import { findPayee, TransferRuleError, type TransferRequest } from './transfer-rules.js';

export class PayeeInputError extends Error {}

const LOGON_ID_PATTERN = /^(1\d{10}|[^\s@]+@[^\s@]+\.[^\s@]+)$/;

/**
 * The merchant's payouts (alipay.fund.trans.uni.transfer): its balance, the Alipay accounts
 * that exist (the payee directory) and every transfer made. Each change is saved at once.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly store: StateStore,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  /**
   * Pays once per out_biz_no: a repeat answers the first transfer as it was (whatever the
   * repeat asks), so a retry after a lost answer can never pay twice. A refusal records
   * nothing, so the same out_biz_no may be tried again once the cause is fixed.
   */
  transfer(request: TransferRequest): { transfer: TransferRecord; repeat: boolean } {
    const state = this.store.state;
    const first = state.transfers[request.outBizNo];
    if (first) return { transfer: first, repeat: true };
    findPayee(state.payees, request);
    if (state.merchantBalanceFen < request.amountFen) {
      throw new TransferRuleError('PAYER_BALANCE_NOT_ENOUGH');
    }
    const now = this.runtime.now();
    state.transferSeq += 1;
    const serial = String(state.transferSeq).padStart(8, '0');
    const transfer: TransferRecord = {
      outBizNo: request.outBizNo,
      orderId: `${beijingDateDigits(now)}0200${serial}`,
      payFundOrderId: `${beijingDateDigits(now)}0300${serial}`,
      amountFen: request.amountFen,
      payeeLogonId: request.payeeLogonId,
      payeeName: request.payeeName,
      orderTitle: request.orderTitle,
      ...(request.remark !== undefined && { remark: request.remark }),
      status: 'SUCCESS',
      transDate: now,
    };
    state.merchantBalanceFen -= request.amountFen;
    state.transfers[request.outBizNo] = transfer;
    this.store.save();
    return { transfer, repeat: false };
  }

  find(outBizNo: string): TransferRecord | undefined {
    return this.store.state.transfers[outBizNo];
  }

  list(): TransferRecord[] {
    return Object.values(this.store.state.transfers).sort((a, b) => a.transDate - b.transDate);
  }

  payees(): PayeeRecord[] {
    return this.store.state.payees;
  }

  /** Adds an account, or renames one that exists (POST /sandbox/payees). */
  putPayee(body: unknown): PayeeRecord {
    const { logon_id: logonId, name } = (body ?? {}) as Record<string, unknown>;
    if (typeof logonId !== 'string' || !LOGON_ID_PATTERN.test(logonId)) {
      throw new PayeeInputError('logon_id must be an 11-digit phone number or an e-mail address');
    }
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) {
      throw new PayeeInputError('name must be the real name on the account (1 to 64 characters)');
    }
    const payee: PayeeRecord = { logonId, name: name.trim() };
    const payees = this.store.state.payees;
    const index = payees.findIndex((existing) => existing.logonId === logonId);
    if (index === -1) payees.push(payee);
    else payees[index] = payee;
    this.store.save();
    return payee;
  }

  merchantBalanceFen(): number {
    return this.store.state.merchantBalanceFen;
  }

  setMerchantBalanceFen(fen: number): void {
    this.store.state.merchantBalanceFen = fen;
    this.store.save();
  }
}
