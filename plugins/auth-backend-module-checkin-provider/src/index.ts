/**
 * Sign-in with EGI Check-in for Backstage: the `oidc` auth provider with a sign-in resolver that
 * maps Check-in's subject to a user and its VO entitlements to group memberships.
 *
 * @packageDocumentation
 */
export { authModuleCheckinOidcProvider as default } from './module';
export {
  authModuleCheckinOidcProvider,
  checkinSignInResolver,
  checkinSignInResolvers,
  groupRefsFromEntitlements,
  userRefFromSubject,
  type CheckinSignInOptions,
} from './module';
