import { PageQuery, READER_PAGE } from '../../common/dto/page.query.js';

/** GET /users/me/wallet: one page of the tips given and one of those received. */
export class WalletQuery extends PageQuery(READER_PAGE) {}
