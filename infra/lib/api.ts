/**
 * The HTTP API: one Lambda function per folder of functions/ (from its registry), each
 * route wired to its function, protected routes behind the Cognito JWT authorizer, each
 * function granted only the table access its manifest declares and, if it uses the table,
 * given the layer holding the AWS SDK (infra/lib/bundling.ts). The functions that start
 * jobs may invoke the jobs function (asynchronously: Lambda queues the event and retries a
 * failed run twice) and are told its name. The same routes are wired to the same functions on
 * the guardians' API, behind the authorizer of guardians' session tokens (guardians.ts), and
 * the function that signs those tokens gets what it signs with.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { JOB_ATTEMPTS } from '@kehou/domain';
import type { FunctionManifest } from '../../functions/index';
import { cdkBundling, sdkLayerCode, usesSdkLayer } from './bundling';
import type { GuardianSignIn } from './guardians';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface ApiProps {
  functions: readonly FunctionManifest[];
  table: ITableV2;
  userPool: UserPool;
  client: UserPoolClient;
  guardians: GuardianSignIn;
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly functions = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const authorizer = new HttpJwtAuthorizer('Cognito', props.userPool.userPoolProviderUrl, {
      jwtAudience: [props.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    // no CORS: browsers reach the API on the web app's origin, through its distribution (web.ts)
    this.httpApi = new HttpApi(this, 'Http', { description: 'Kehou 课后 API' });
    const apis = [
      { api: this.httpApi, authorizer, suffix: '' },
      { api: props.guardians.httpApi, authorizer: props.guardians.authorizer, suffix: '-guardians' },
    ];
    // The key that signs page cursors (packages/store/src/cursor.ts): one secret, generated at
    // deploy, shared by every container of every function, so a cursor from one works in all.
    // It reaches the functions as a CloudFormation dynamic reference, resolved at deploy into
    // their environment: read synchronously at start-up like TABLE_NAME, with no Secrets
    // Manager call on a cold start and no extra client in the bundle. The value never appears
    // in the template; it is visible in the functions' configuration to operators who may read
    // it, which is acceptable for this key: it only makes cursors tamper-evident, and every
    // decoded cursor is also checked against the list it is used on. A new value takes effect
    // at the next deploy (cursors in flight then get a 400 and the client starts the list over).
    const cursorKey = new Secret(this, 'CursorKey', {
      description: 'Kehou: signs the page cursors of list answers',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const sdkLayer = new LayerVersion(this, 'SdkLayer', {
      description: 'Kehou: the AWS SDK for DynamoDB, as the functions use it, in one ES module',
      code: sdkLayerCode(),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.ARM_64],
    });
    for (const m of props.functions) {
      const fn = new NodejsFunction(this, `Fn-${m.name}`, {
        entry: join(REPO_ROOT, 'functions', m.name, 'handler.ts'),
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: m.memoryMb,
        timeout: Duration.seconds(m.timeoutSeconds),
        logGroup: new LogGroup(this, `Logs-${m.name}`, { retention: RetentionDays.THREE_MONTHS }),
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          LOG_LEVEL: 'info',
          ...(m.table === 'none' ? {} : { TABLE_NAME: props.table.tableName, CURSOR_KEY: cursorKey.secretValue.unsafeUnwrap() }),
        },
        bundling: cdkBundling(m),
        layers: usesSdkLayer(m) ? [sdkLayer] : [],
      });
      if (m.table === 'read') props.table.grantReadData(fn);
      if (m.table === 'readwrite') props.table.grantReadWriteData(fn);
      this.functions.set(m.name, fn);
      if (m.jobs === 'run') fn.configureAsyncInvoke({ retryAttempts: JOB_ATTEMPTS - 1 });
      if (m.signsSessions) props.guardians.signsWith(fn);
      if (m.routes.length === 0) continue;
      for (const { api, authorizer: auth, suffix } of apis) {
        // an integration belongs to one API; one invoke permission a function and API (from any of its routes),
        // not one a route: a permission a route passed CloudFormation's 500 resources a stack
        const integration = new HttpLambdaIntegration(`Int-${m.name}${suffix}`, fn, { scopePermissionToRoute: false });
        for (const r of m.routes)
          api.addRoutes({
            path: r.path,
            methods: [r.method as HttpMethod],
            integration,
            ...(r.auth === 'jwt' ? { authorizer: auth } : {}),
          });
      }
    }
    const worker = props.functions.find((m) => m.jobs === 'run');
    for (const m of props.functions.filter((f) => f.jobs === 'start')) {
      if (!worker) throw new Error(`${m.name} starts jobs, but the registry has no jobs function`);
      const jobs = this.functions.get(worker.name)!;
      const fn = this.functions.get(m.name)!;
      fn.addEnvironment('JOBS_FUNCTION', jobs.functionName);
      jobs.grantInvoke(fn);
    }
  }
}
