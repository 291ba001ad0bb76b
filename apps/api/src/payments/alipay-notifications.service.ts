import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { NotificationsQuery } from './dto/notifications.query.js';
import { AlipayNotificationEntity } from './entities/alipay-notification.entity.js';

export interface NotificationView {
  notify_id: string;
  /** Ours (out_trade_no); Alipay's own trade_no is in the payload. */
  trade_no: string | null;
  trade_status: string | null;
  outcome: string;
  deliveries: number;
  delivered_at: string[];
  first_seen: string;
  last_seen: string;
  payload: Record<string, string>;
}

/** Reads the log of verified Alipay notifications that AlipayNotifyService writes. */
@Injectable()
export class AlipayNotificationsService {
  constructor(
    @InjectRepository(AlipayNotificationEntity)
    private readonly notifications: Repository<AlipayNotificationEntity>,
  ) {}

  /** Newest first (by first delivery). */
  async list(query: NotificationsQuery): Promise<{ items: NotificationView[]; total: number }> {
    const [rows, total] = await this.notifications.findAndCount({
      where: {
        ...(query.trade_no === undefined ? {} : { outTradeNo: query.trade_no }),
        ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
      },
      order: { id: 'DESC' },
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
    });
    return { items: rows.map(toView), total };
  }
}

function toView(row: AlipayNotificationEntity): NotificationView {
  return {
    notify_id: row.notifyId,
    trade_no: row.outTradeNo,
    trade_status: row.tradeStatus,
    outcome: row.outcome,
    deliveries: row.deliveries,
    delivered_at: row.deliveredAt.map((time) => time.toISOString()),
    first_seen: row.createdTime.toISOString(),
    last_seen: row.updatedTime.toISOString(),
    payload: row.payload,
  };
}
