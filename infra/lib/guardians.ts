/**
 * Guardians' sign-in on AWS, without a per-user bill (README: "Guardians sign in"): the key the
 * product signs their session tokens with, the secret invitations are derived from, and the API
 * that accepts those tokens.
 *
 * - The signing key is an asymmetric KMS key, RSA 2048 for RS256: API Gateway's JWT authorizers
 *   verify RSA signatures only. Its private half never leaves KMS; the sign-in function may only
 *   Sign with it and read its public half, which it publishes as a JWKS.
 * - An HTTP API route has one authorizer, and a JWT authorizer one issuer. Staff tokens come from
 *   Cognito, guardians' from the product, so guardians' tokens are accepted by a second HTTP API
 *   beside the first — the same routes, the same functions — whose JWT authorizer trusts the
 *   product as issuer: its own address, where the sign-in function serves
 *   /.well-known/openid-configuration and /.well-known/jwks.json. The functions see either
 *   API's claims in the same place, in the same shape (packages/http/src/claims.ts).
 */
import { CorsHttpMethod, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The `aud` of guardians' session tokens, and the only audience their authorizer accepts. */
export const GUARDIAN_AUDIENCE = 'kehou-guardians';

/** What both HTTP APIs allow browsers (the web app may be on another origin). */
export const CORS = {
  allowOrigins: ['*'],
  allowMethods: [CorsHttpMethod.ANY],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
};

export class GuardianSignIn extends Construct {
  readonly signingKey: Key;
  readonly signInKey: Secret;
  readonly httpApi: HttpApi;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.signingKey = new Key(this, 'SigningKey', {
      description: "Kehou: signs guardians' session tokens (RS256)",
      keySpec: KeySpec.RSA_2048,
      keyUsage: KeyUsage.SIGN_VERIFY,
    });
    // derives invitations' secrets (a homeroom's links print again the same) and guardians'
    // account ids: rotating it voids every open invitation and gives guardians new accounts
    this.signInKey = new Secret(this, 'SignInKey', {
      description: "Kehou: derives guardians' invitation links and account ids",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.httpApi = new HttpApi(this, 'Http', {
      description: "Kehou 课后 API for guardians: the same routes, accepting guardians' session tokens",
      corsPreflight: CORS,
    });
    this.authorizer = new HttpJwtAuthorizer('Guardians', this.httpApi.apiEndpoint, {
      jwtAudience: [GUARDIAN_AUDIENCE],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** What the function that signs sessions is given: the key (Sign and its public half only), the issuer, the secret. */
  signsWith(fn: LambdaFunction & IGrantable): void {
    this.signingKey.grant(fn, 'kms:Sign', 'kms:GetPublicKey');
    fn.addEnvironment('SESSION_KMS_KEY_ID', this.signingKey.keyArn);
    fn.addEnvironment('SESSION_ISSUER', this.httpApi.apiEndpoint);
    fn.addEnvironment('SESSION_AUDIENCE', GUARDIAN_AUDIENCE);
    // a dynamic reference, resolved into the environment at deploy, like the cursor key (api.ts)
    fn.addEnvironment('SIGNIN_KEY', this.signInKey.secretValue.unsafeUnwrap());
  }
}
