import { publicResult, type AdminOperation } from './admin-operation.js';

/**
 * `StrongroomAdmin.ListAccounts`: every account of the server, oldest first, with its creation date (epoch
 * seconds on the wire). Not paginated: a server holds few accounts (the CLI's `accounts list` neither pages).
 *
 * @example
 *   // {} → {"Accounts":[{"AccountId":"111122223333","CreationDate":1718000000.123}]}
 */
export const listAccountsOperation: AdminOperation = {
  name: 'ListAccounts',
  readOnly: true,
  async handle(_body, { store }) {
    const accounts = await store.identities.listAccounts();
    const ordered = [...accounts].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return publicResult({
      Accounts: ordered.map((account) => ({ AccountId: account.id, CreationDate: new Date(account.createdAt) })),
    });
  },
};
