// Who is calling: the user an authenticator vouches for, as Kubernetes' user.Info.

/** UserInfo is an authenticated user: name, groups and optional uid and extras. */
export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** systemMastersGroup is the group whose members may do anything (as in Kubernetes). */
export const systemMastersGroup = 'system:masters';

/** authenticatedGroup is added to every authenticated user, as Kubernetes does. */
export const authenticatedGroup = 'system:authenticated';

/** withAuthenticatedGroup returns the user with system:authenticated among its groups. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(authenticatedGroup) ? user : { ...user, groups: [...user.groups, authenticatedGroup] };
}

/** engineUser is the identity of in-process callers (controllers, bootstrap, node agents). */
export const engineUser: UserInfo = { username: 'system:wheelhouse-engine', groups: [systemMastersGroup, authenticatedGroup] };
