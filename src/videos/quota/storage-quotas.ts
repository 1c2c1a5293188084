/**
 * The port through which uploads learn how many bytes an account may store, without knowing
 * accounts: provided by the account side (AccountPortsModule), injected by UploadSpace.
 */
export abstract class StorageQuotas {
  /** Bytes `uid` may store, originals and renditions together; null: unlimited. */
  abstract quotaOf(uid: number): Promise<number | null>;
}
