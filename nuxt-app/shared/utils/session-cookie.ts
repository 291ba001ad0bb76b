/** The httpOnly cookie that holds the API's JWT; page scripts never see the token. */
export const SESSION_COOKIE = 'renran_token';
