/**
 * The synthesized template, asserted for its content: table, routes with their authorizers on
 * both APIs (staff's Cognito tokens; guardians' session tokens), the signing key, least privilege.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES, FUNCTIONS } from '../../functions/index';
import { TABLE } from '../../packages/store/src/table';
import { REPO_ROOT } from '../lib/api';
import { GUARDIAN_AUDIENCE } from '../lib/guardians';
import { KehouStack } from '../lib/stack';

let outdir: string;
let template: Template;
type Res = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
let resources: Record<string, Res>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kehou-cdk-'));
  const context = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
  // bundling is skipped here (test/cdk-synth.test.ts runs the real `cdk synth`)
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new KehouStack(app, 'Kehou'));
  resources = template.toJSON().Resources;
}, 120_000); // synthesis takes 5–15 s on a shared two-core machine
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the table', () => {
  it('has the shared key design, on-demand, point-in-time recovery, TTL, and is kept on delete', () => {
    const [[, table]] = ofType('AWS::DynamoDB::GlobalTable') as [[string, Res]];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.timeToLiveAttribute, Enabled: true });
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    const gsis = Object.fromEntries(
      table.Properties.GlobalSecondaryIndexes.map((g: any) => [g.IndexName, g.KeySchema.map((k: any) => k.AttributeName)]),
    );
    expect(gsis).toEqual(Object.fromEntries(Object.entries(TABLE.indexes).map(([n, ix]) => [n, [ix.partitionKey, ix.sortKey]])));
  });
});

describe('the API', () => {
  it('has one Node.js 22 arm64 function per folder of functions/, as the registry lists', () => {
    const folders = readdirSync(join(REPO_ROOT, 'functions')).filter((f) =>
      statSync(join(REPO_ROOT, 'functions', f)).isDirectory(),
    );
    expect(folders.sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
    const fns = ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Runtime === 'nodejs22.x');
    expect(fns).toHaveLength(FUNCTIONS.length);
    for (const [, fn] of fns) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    for (const [, lg] of ofType('AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(90);
  });

  it('wires every route of the registry to its function, behind the Cognito JWT authorizer unless public', () => {
    const [[poolId]] = ofType('AWS::Cognito::UserPool') as [[string, Res]];
    const [[clientId]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Res]];
    const [authorizerId, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer').find(
      ([, a]) =>
        JSON.stringify(a.Properties.JwtConfiguration.Issuer) === JSON.stringify({ 'Fn::GetAtt': [poolId, 'ProviderURL'] }),
    )!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    const apiId = authorizer.Properties.ApiId.Ref as string;
    const routes = Object.fromEntries(
      ofType('AWS::ApiGatewayV2::Route')
        .filter(([, r]) => r.Properties.ApiId.Ref === apiId)
        .map(([, r]) => [r.Properties.RouteKey, r.Properties]),
    );
    expect(Object.keys(routes).sort()).toEqual(ALL_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
    const fnIds = Object.fromEntries(ofType('AWS::Lambda::Function').map(([id]) => [id, id]));
    for (const m of FUNCTIONS) {
      for (const r of m.routes) {
        const route = routes[`${r.method} ${r.path}`];
        if (r.auth === 'jwt') {
          expect(route.AuthorizationType, `${r.method} ${r.path}`).toBe('JWT');
          expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
        } else expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        const integrationId = route.Target['Fn::Join'][1][1].Ref as string;
        const target = integrations[integrationId]!.IntegrationUri['Fn::GetAtt'][0] as string;
        expect(fnIds[target], `${r.method} ${r.path}`).toMatch(new RegExp(`Fn${m.name}`));
      }
    }
  });

  it('grants each function only the table access its manifest declares', () => {
    const policies = ofType('AWS::IAM::Policy');
    for (const m of FUNCTIONS) {
      const roleId = ofType('AWS::IAM::Role').find(([id]) => id.includes(`Fn${m.name}`))![0];
      const mine = policies.filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
      const actions = mine.flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
      const dynamo = actions.filter((a: string) => a.startsWith('dynamodb:'));
      if (m.table === 'none') expect(dynamo, m.name).toEqual([]);
      if (m.table === 'read')
        expect(
          dynamo.every((a: string) => /:(Get|Query|Scan|BatchGet|Describe|ConditionCheck)/.test(a)),
          m.name,
        ).toBe(true);
      if (m.table === 'readwrite') expect(dynamo, m.name).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
      for (const [, p] of mine) {
        for (const s of p.Properties.PolicyDocument.Statement) {
          if (![s.Action].flat().some((a: string) => a.startsWith('dynamodb:'))) continue;
          expect(JSON.stringify(s.Resource), m.name).toContain('DataTable');
          expect(JSON.stringify(s.Resource)).not.toBe('"*"');
        }
      }
    }
  });

  it('gives the AWS SDK layer (Node.js 22, arm64) to the functions that use the table, and to no other', () => {
    const [[layerId, layer]] = ofType('AWS::Lambda::LayerVersion') as [[string, Res]];
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs22.x']);
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    for (const m of FUNCTIONS) {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.includes(`Fn${m.name}`))!;
      expect(fn.Properties.Layers, m.name).toEqual(m.table === 'none' ? undefined : [{ Ref: layerId }]);
    }
    expect(FUNCTIONS.filter((m) => m.table === 'none').map((m) => m.name)).toEqual(['health', 'openapi']);
  });

  it('passes the table name only to functions that use the table', () => {
    for (const m of FUNCTIONS) {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.includes(`Fn${m.name}`))!;
      expect(fn.Properties.Environment.Variables.TABLE_NAME === undefined, m.name).toBe(m.table === 'none');
    }
  });

  it('gives every function that lists from the table the same generated cursor key, never in the template', () => {
    const [secretId, secret] = ofType('AWS::SecretsManager::Secret').find(([id]) => id.includes('CursorKey'))!;
    expect(secret.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
    expect(secret.Properties.SecretString).toBeUndefined();
    const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] };
    for (const m of FUNCTIONS) {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.includes(`Fn${m.name}`))!;
      if (m.table === 'none') expect(fn.Properties.Environment.Variables.CURSOR_KEY, m.name).toBeUndefined();
      else expect(fn.Properties.Environment.Variables.CURSOR_KEY, m.name).toEqual(reference);
    }
  });

  it('runs jobs in their own function: 15 minutes, invoked asynchronously with two retries, by the functions that start them only', () => {
    const jobs = FUNCTIONS.filter((m) => m.jobs === 'run');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.routes).toEqual([]);
    const fnOf = (name: string) => ofType('AWS::Lambda::Function').find(([id]) => id.includes(`Fn${name}`))!;
    const [jobsId, jobsFn] = fnOf(jobs[0]!.name);
    expect(jobsFn.Properties.Timeout).toBe(900);
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    expect(configs.map(([, c]) => [c.Properties.FunctionName, c.Properties.MaximumRetryAttempts])).toEqual([
      [{ Ref: jobsId }, 2],
    ]);
    const starters = FUNCTIONS.filter((m) => m.jobs === 'start').map((m) => m.name);
    expect(starters).toContain('people');
    for (const m of FUNCTIONS) {
      const [id, fn] = fnOf(m.name);
      const starts = starters.includes(m.name);
      expect(fn.Properties.Environment.Variables.JOBS_FUNCTION, m.name).toEqual(starts ? { Ref: jobsId } : undefined);
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const invokes = ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st: any) => [st.Action].flat().includes('lambda:InvokeFunction'));
      if (!starts) {
        expect(invokes, m.name).toEqual([]);
        continue;
      }
      // the jobs function, nothing else
      const resources = invokes.flatMap((st: any) => [st.Resource].flat());
      expect(resources.length, m.name).toBeGreaterThan(0);
      for (const r of resources) expect(JSON.stringify(r), `${m.name} → ${id}`).toContain(`"${jobsId}"`);
    }
  });

  it("accepts guardians' session tokens on a second API: the same routes and functions, behind a JWT authorizer whose issuer is that API", () => {
    const guardians = ofType('AWS::ApiGatewayV2::Api').find(([, a]) => /guardians/.test(a.Properties.Description))!;
    const guardianApi = guardians[0];
    const [authorizerId, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer').find(
      ([, a]) => a.Properties.ApiId.Ref === guardianApi,
    )!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    // the issuer is the API's own address: the sign-in function serves the discovery document there
    expect(authorizer.Properties.JwtConfiguration).toEqual({
      Issuer: { 'Fn::GetAtt': [guardianApi, 'ApiEndpoint'] },
      Audience: [GUARDIAN_AUDIENCE],
    });
    expect(guardians[1].Properties.CorsConfiguration.AllowHeaders).toContain('authorization');
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.ApiId.Ref === guardianApi);
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(ALL_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
    for (const m of FUNCTIONS)
      for (const r of m.routes) {
        const [, route] = routes.find(([, x]) => x.Properties.RouteKey === `${r.method} ${r.path}`)!;
        if (r.auth === 'jwt') expect(route.Properties.AuthorizerId, `${r.method} ${r.path}`).toEqual({ Ref: authorizerId });
        else expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
        const integration = integrations[route.Properties.Target['Fn::Join'][1][1].Ref as string]!;
        expect(integration.ApiId).toEqual({ Ref: guardianApi });
        expect(integration.IntegrationUri['Fn::GetAtt'][0], `${r.method} ${r.path}`).toMatch(new RegExp(`Fn${m.name}`));
      }
    // the discovery document and the keys it names are public: API Gateway fetches them itself
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json'])
      expect(ALL_ROUTES.find((r) => r.path === path)?.auth).toBe('public');
  });

  it("signs guardians' session tokens with an RSA 2048 KMS key that only the sign-in function may use, to sign and read its public half", () => {
    const [[keyId, key]] = ofType('AWS::KMS::Key') as [[string, Res]];
    expect(key.Properties).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    expect(key.DeletionPolicy).toBe('Retain');
    const signers = FUNCTIONS.filter((m) => m.signsSessions).map((m) => m.name);
    expect(signers).toEqual(['signin']);
    const [guardianApi] = ofType('AWS::ApiGatewayV2::Api').find(([, a]) => /guardians/.test(a.Properties.Description))!;
    const [signInKeyId] = ofType('AWS::SecretsManager::Secret').find(([id]) => id.includes('SignInKey'))!;
    for (const m of FUNCTIONS) {
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.includes(`Fn${m.name}`))!;
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
      const env = fn.Properties.Environment.Variables;
      if (!signers.includes(m.name)) {
        expect(statements, m.name).toEqual([]);
        expect(env.SESSION_KMS_KEY_ID, m.name).toBeUndefined();
        expect(env.SIGNIN_KEY, m.name).toBeUndefined();
        continue;
      }
      expect(statements).toEqual([
        { Action: ['kms:GetPublicKey', 'kms:Sign'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      ]);
      expect(env.SESSION_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(env.SESSION_AUDIENCE).toBe(GUARDIAN_AUDIENCE);
      expect(env.SESSION_ISSUER).toEqual({ 'Fn::GetAtt': [guardianApi, 'ApiEndpoint'] });
      expect(env.SESSION_SIGNING_KEY).toBeUndefined(); // the development key is local only
      expect(env.SIGNIN_KEY).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: signInKeyId }, ':SecretString:::}}']],
      });
    }
  });

  it('has a user pool with the five role groups and the custom claims the functions read', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties.GroupName)
      .sort();
    expect(groups).toEqual(['admin', 'district', 'parent', 'teacher', 'volunteer']);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'schools', Mutable: true }),
        Match.objectLike({ Name: 'district', Mutable: true }),
      ]),
    });
  });
});
