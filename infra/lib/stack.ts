/** The whole product in one stack: data, sign-in, the API and its functions. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/index';
import { Api } from './api';
import { Auth } from './auth';
import { Data } from './data';

export class KehouStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Kehou 课后: the "5+2" after-school service and summer care', ...props });
    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth');
    this.api = new Api(this, 'Api', {
      functions: FUNCTIONS,
      table: this.data.table,
      userPool: this.auth.userPool,
      client: this.auth.client,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}
