/**
 * Sign-in: a Cognito user pool whose groups are the product's roles. A user's schools and
 * district are custom attributes; API Gateway's JWT authorizer verifies the ID token and
 * hands these claims to the functions (see packages/http/src/claims.ts).
 *
 * Staff sign in to the web app through Cognito's managed login (its own pages, on the pool's
 * domain, in Chinese with `lang=zh-CN`): the authorization code grant with PKCE, for a public
 * client (no secret: a browser cannot keep one). The refresh token rotates at each use and is
 * revocable at sign-out, so the app can keep tokens out of localStorage: a stolen refresh token
 * works once at most.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../packages/domain/src/policy';

export interface AuthProps {
  /** The web app's address (`https://…`, no trailing slash), where sign-in returns to. */
  appUrl: string;
}

const WEB_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PHONE, OAuthScope.PROFILE];

export class Auth extends Construct {
  readonly userPool: UserPool;
  /** the web app's client: its ID tokens are what the API accepts */
  readonly client: UserPoolClient;
  /** managed login's domain (`https://<prefix>.auth.<region>.amazoncognito.com`) */
  readonly domain: UserPoolDomain;
  /** the scopes the web client may ask for */
  readonly scopes = WEB_SCOPES.map((s) => s.scopeName);

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false, // schools and bureaus invite their people
      signInAliases: { phone: true, email: true },
      customAttributes: {
        schools: new StringAttribute({ mutable: true, maxLen: 2048 }),
        district: new StringAttribute({ mutable: true, maxLen: 64 }),
      },
      passwordPolicy: { minLength: 10, requireSymbols: false },
      accountRecovery: AccountRecovery.PHONE_AND_EMAIL,
      // managed login and refresh token rotation need the Essentials plan
      featurePlan: FeaturePlan.ESSENTIALS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES)
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role });
    // a domain prefix is unique per region across all accounts: the account id makes it ours
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `${Stack.of(this).stackName.toLowerCase()}-${Stack.of(this).account}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = this.userPool.addClient('Web', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true }, // the app sends a PKCE challenge; Cognito checks the verifier
        scopes: WEB_SCOPES,
        // the app's pages (packages/web/README.md): the one that takes the code, and the one signing out lands on
        callbackUrls: [`${props.appUrl}/auth/callback`],
        logoutUrls: [`${props.appUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      refreshTokenRotationGracePeriod: Duration.seconds(10), // a retry after a lost answer still works
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      // not the custom attributes: a user must not grant themselves a school (with an access token
      // from SRP sign-in, Cognito lets users write what their client may write; unset means all)
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, locale: true }),
    });
    // managed login shows a client's pages only once it has a style: Cognito's own
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }
}
