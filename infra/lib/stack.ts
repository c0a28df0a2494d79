/** The whole product in one stack: data, sign-in (staff's and guardians'), the APIs and their functions. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/index';
import { Api } from './api';
import { Auth } from './auth';
import { Data } from './data';
import { GuardianSignIn } from './guardians';

export class KehouStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly guardians: GuardianSignIn;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Kehou 课后: the "5+2" after-school service and summer care', ...props });
    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth');
    this.guardians = new GuardianSignIn(this, 'Guardians');
    this.api = new Api(this, 'Api', {
      functions: FUNCTIONS,
      table: this.data.table,
      userPool: this.auth.userPool,
      client: this.auth.client,
      guardians: this.guardians,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'GuardianApiUrl', {
      value: this.guardians.httpApi.apiEndpoint,
      description: "the same API for guardians' session tokens (their issuer)",
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}
