// Options and results of the generic REST operations, shared by the HTTP handlers
// (which parse them from query strings and bodies) and the in-process ApiClient.
import type { KubeObject } from '../../../shared/api/meta';
import type { UserInfo } from '../auth/user';

/** Caller is who makes a request and with which client. */
export interface Caller {
  user: UserInfo;
  /** The client's User-Agent, used for the default field manager. */
  userAgent?: string;
}

/** FieldValidation is how unknown fields in a write are treated. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** PatchType names the four patch formats Kubernetes accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** ListOptions narrow a list or a watch. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact' | string;
}

/** WatchOptions are ListOptions plus the watch-only settings. */
export interface WatchOptions extends ListOptions {
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  /** Send the current state first, then a BOOKMARK marking the end of it (watch-list). */
  sendInitialEvents?: boolean;
  /** How often to send BOOKMARK events when allowed (default one minute). */
  bookmarkIntervalMs?: number;
}

/** WriteOptions apply to create, update and patch. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
}

/** PatchOptions add server-side apply's force flag. */
export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

/** DeletionPropagation is how dependents are treated when their owner goes. */
export type DeletionPropagation = 'Background' | 'Foreground' | 'Orphan';

/** DeleteOptions mirror meta/v1 DeleteOptions. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: DeletionPropagation | string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** WriteResult is the stored (or, on dry run, would-be) object and any warnings for the client. */
export interface WriteResult<T extends KubeObject = KubeObject> {
  object: T;
  warnings: string[];
  /** True when the write created the object (create, or apply of a missing object). */
  created?: boolean;
}

/** DeleteResult says whether the object is gone or still finishing (finalizers, grace period). */
export interface DeleteResult<T extends KubeObject = KubeObject> {
  object: T;
  /** True when the object was removed from the store; false while deletion is pending. */
  deleted: boolean;
}

/** WatchHandle stops a running watch. */
export interface WatchHandle {
  stop(): void;
}
