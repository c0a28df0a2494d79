/** The whole product in one stack: data, sign-in (staff's and guardians'), the APIs and their functions, the web app. */
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_ROUTES, FUNCTIONS } from '../../functions/index';
import { Api } from './api';
import { Auth } from './auth';
import { Data } from './data';
import { GuardianSignIn } from './guardians';
import { Web } from './web';

export class KehouStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly guardians: GuardianSignIn;
  readonly api: Api;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Kehou 课后: the "5+2" after-school service and summer care', ...props });
    this.data = new Data(this, 'Data');
    // sign-in returns to the app's distribution, which fronts the API, whose authorizer names the
    // sign-in client: the client reads the app's address once the distribution exists
    this.auth = new Auth(this, 'Auth', { appUrl: Lazy.string({ produce: () => this.web.url }) });
    this.guardians = new GuardianSignIn(this, 'Guardians');
    this.api = new Api(this, 'Api', {
      functions: FUNCTIONS,
      table: this.data.table,
      userPool: this.auth.userPool,
      client: this.auth.client,
      guardians: this.guardians,
    });
    this.web = new Web(this, 'Web', {
      api: this.api.httpApi,
      guardianApi: this.guardians.httpApi,
      routes: ALL_ROUTES,
      auth: this.auth,
    });
    new CfnOutput(this, 'AppUrl', { value: this.web.url, description: 'the web app (and the API, on the same origin)' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'SignInDomain', { value: this.auth.domain.baseUrl() });
    new CfnOutput(this, 'GuardianApiUrl', {
      value: this.guardians.httpApi.apiEndpoint,
      description: "the same API for guardians' session tokens (their issuer)",
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}
