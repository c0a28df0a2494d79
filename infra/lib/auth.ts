/**
 * Sign-in: a Cognito user pool whose groups are the product's roles. A user's schools and
 * district are custom attributes; API Gateway's JWT authorizer verifies the ID token and
 * hands these claims to the functions (see packages/http/src/claims.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, StringAttribute, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../packages/domain/src/policy';

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
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
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES)
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role });
    this.client = this.userPool.addClient('Web', {
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });
  }
}
