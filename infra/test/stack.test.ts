/**
 * The synthesized template, asserted for its content: table, routes with their authorizers on
 * both APIs (staff's Cognito tokens; guardians' session tokens), the signing key, least privilege,
 * sign-in, and the web app's distribution in front of the bucket and the API.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES, FUNCTIONS } from '../../functions/index';
import { TABLE } from '../../packages/store/src/table';
import { REPO_ROOT } from '../lib/api';
import { GUARDIAN_AUDIENCE } from '../lib/guardians';
import { KehouStack } from '../lib/stack';
import { apiPathPatterns } from '../lib/web';

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

  it('lets each API invoke each function with routes by one permission scoped to that API (the stack stays under 500 resources)', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const routed = FUNCTIONS.filter((m) => m.routes.length > 0);
    expect(permissions).toHaveLength(routed.length * 2);
    for (const [, p] of permissions) expect(JSON.stringify(p.Properties.SourceArn)).toMatch(/\/\*\/\*\/\*"/);
    expect(Object.keys(resources).length).toBeLessThanOrEqual(500);
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

describe('sign-in', () => {
  const distributionUrl = (path: string) => ({
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ofType('AWS::CloudFront::Distribution')[0]![0], 'DomainName'] }, path]],
  });

  it("lets the web app sign staff in with Cognito's managed login: authorization code (PKCE), no secret, back to the app", () => {
    const [[clientId, client]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Res]];
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [distributionUrl('/auth/callback')],
      LogoutURLs: [distributionUrl('/')],
      // as before: an hour for ID tokens, 30 days for refresh tokens, which rotate and can be revoked
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' },
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      EnableTokenRevocation: true,
    });
    // users may not write their own schools, district (the claims access rests on) or sign-in names
    expect(client.Properties.WriteAttributes?.sort()).toEqual(['locale', 'name']);
    const [[poolId, pool]] = ofType('AWS::Cognito::UserPool') as [[string, Res]];
    expect(pool.Properties.UserPoolTier).toBe('ESSENTIALS');
    const [[, domain]] = ofType('AWS::Cognito::UserPoolDomain') as [[string, Res]];
    expect(domain.Properties).toMatchObject({ UserPoolId: { Ref: poolId }, ManagedLoginVersion: 2 });
    const [[, branding]] = ofType('AWS::Cognito::ManagedLoginBranding') as [[string, Res]];
    expect(branding.Properties).toEqual({
      UserPoolId: { Ref: poolId },
      ClientId: { Ref: clientId },
      UseCognitoProvidedValues: true,
    });
  });

  it("makes the API's authorizer accept the web client's tokens, and the API answer browsers on the app's origin only (no CORS)", () => {
    const [[clientId]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Res]];
    const [apiId, api] = ofType('AWS::ApiGatewayV2::Api').find(([, a]) => a.Properties.Description === 'Kehou 课后 API')!;
    const [, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer').find(([, a]) => a.Properties.ApiId.Ref === apiId)!;
    expect(authorizer.Properties.JwtConfiguration.Audience).toContainEqual({ Ref: clientId });
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    // only the guardians' API answers other origins (the app calls it for a guardian)
    const cors = ofType('AWS::ApiGatewayV2::Api').filter(([, a]) => a.Properties.CorsConfiguration);
    expect(cors.map(([, a]) => a.Properties.Description)).toEqual([expect.stringMatching(/guardians/)]);
  });
});

describe('the web app', () => {
  const distribution = () => ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const distributionId = () => ofType('AWS::CloudFront::Distribution')[0]![0];
  const behaviours = () => Object.fromEntries(distribution().CacheBehaviors.map((b: any) => [b.PathPattern, b]));
  const origin = (id: string) => distribution().Origins.find((o: any) => o.Id === id);
  /** CloudFront's path pattern matching: `*` any characters, `?` one, case-sensitive */
  const matches = (pattern: string, path: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(path);
  const behaviourOf = (path: string) => {
    const b = distribution().CacheBehaviors.find((x: any) => matches(x.PathPattern, path)); // first match wins
    return b ?? distribution().DefaultCacheBehavior;
  };
  const viewerRequest = (b: any) => {
    const arn = b.FunctionAssociations?.find((f: any) => f.EventType === 'viewer-request')?.FunctionARN['Fn::GetAtt'][0];
    if (!arn) return undefined;
    const code = resources[arn]!.Properties.FunctionCode as string;
    expect(resources[arn]!.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    return new Function(`${code}; return handler;`)() as (event: any) => any;
  };
  /** the staff's API (the guardians' is called across origins, not through the distribution) */
  const staffApi = () => ofType('AWS::ApiGatewayV2::Api').find(([, a]) => a.Properties.Description === 'Kehou 课后 API')![0];
  const apiHost = () => ({
    'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [staffApi(), 'ApiEndpoint'] }] }],
  });

  it('keeps its files in a private, encrypted bucket that only this distribution reads (OAC), over TLS only', () => {
    const [[bucketId, bucket]] = ofType('AWS::S3::Bucket') as [[string, Res]];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const [[, policy]] = ofType('AWS::S3::BucketPolicy') as [[string, Res]];
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.filter((s: any) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Principal: { AWS: '*' },
      }),
    ]);
    // the one Allow: CloudFront, reading objects, for this distribution only
    expect(statements.filter((s: any) => s.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId() },
                ],
              ],
            },
          },
        },
      },
    ]);
    const [[oacId, oac]] = ofType('AWS::CloudFront::OriginAccessControl') as [[string, Res]];
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
    const s3 = origin(distribution().DefaultCacheBehavior.TargetOriginId);
    expect(s3.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(s3.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
  });

  it("sends every API route's path to the API and the rest to the app, behaviours derived from the registry", () => {
    const patterns = apiPathPatterns(ALL_ROUTES);
    expect(Object.keys(behaviours()).sort()).toEqual([...patterns, '/assets/*'].sort());
    const apiOrigin = behaviourOf('/health').TargetOriginId;
    expect(origin(apiOrigin).DomainName).toEqual(apiHost());
    expect(origin(apiOrigin).CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    for (const r of ALL_ROUTES) {
      const path = r.path.replace(/\{[^}]+\}/g, 'x1');
      expect(behaviourOf(path).TargetOriginId, path).toBe(apiOrigin);
    }
    // the app's pages and files (packages/web/README.md) stay with the app
    const appOrigin = distribution().DefaultCacheBehavior.TargetOriginId;
    for (const path of [
      '/',
      '/index.html',
      '/config.json',
      '/assets/index-3f9a.js',
      '/sign-in',
      '/auth/callback',
      '/sessions',
      '/setup/rooms',
      '/district',
      '/family',
      '/invite/aB3_-x9',
      '/messages',
      '/schoolsetup',
    ])
      expect(behaviourOf(path).TargetOriginId, path).toBe(appOrigin);
  });

  it('derives the API patterns from first segments, and refuses a route the app could not be told apart from', () => {
    expect(apiPathPatterns([{ path: '/summer/{termId}/places' }, { path: '/summer' }, { path: '/health' }])).toEqual([
      '/health',
      '/health/*',
      '/summer',
      '/summer/*',
    ]);
    for (const path of ['/', '/{schoolId}/rooms', '/assets/x', '/config.json', '/index.html'])
      expect(() => apiPathPatterns([{ path }]), path).toThrow(/fixed segment of its own/);
  });

  it('never caches the API, forwards all but Host (so the bearer token too), allows every method, and tells it the viewer host', () => {
    const apiBehaviours = apiPathPatterns(ALL_ROUTES).map((p) => behaviours()[p]);
    for (const b of apiBehaviours) {
      expect(b.CachePolicyId, b.PathPattern).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
      expect(b.OriginRequestPolicyId, b.PathPattern).toBe(
        OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      );
      expect(b.AllowedMethods.sort(), b.PathPattern).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
      const request = viewerRequest(b)!({
        request: {
          uri: '/me/calendar-feeds',
          headers: { host: { value: 'd1.cloudfront.net' }, 'x-forwarded-host': { value: 'evil.example' } },
        },
      });
      expect(request.uri).toBe('/me/calendar-feeds');
      expect(request.headers['x-forwarded-host']).toEqual({ value: 'd1.cloudfront.net' });
    }
  });

  it("answers the app's own routes with index.html on the app's behaviour only (no distribution-wide error pages)", () => {
    const d = distribution();
    expect(d.DefaultRootObject).toBe('index.html');
    expect(d.CustomErrorResponses).toBeUndefined(); // they would turn the API's 403s and 404s into the app
    const rewrite = viewerRequest(d.DefaultCacheBehavior)!;
    const uri = (u: string) => rewrite({ request: { uri: u, headers: {} } }).uri;
    for (const route of ['/', '/sessions', '/setup/rooms', '/auth/callback']) expect(uri(route), route).toBe('/index.html');
    for (const file of ['/index.html', '/config.json', '/favicon.svg', '/assets/index-3f9a.js'])
      expect(uri(file), file).toBe(file);
    expect(viewerRequest(behaviours()['/assets/*'])).toBeUndefined();
  });

  it('caches hashed assets for a year and never index.html or config.json, over HTTPS', () => {
    const d = distribution();
    expect(d.DefaultCacheBehavior.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(d.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviours()['/assets/*'].CachePolicyId).toBe(CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    expect(behaviours()['/assets/*'].ViewerProtocolPolicy).toBe('redirect-to-https');
    const deployments = Object.fromEntries(
      ofType('Custom::CDKBucketDeployment').map(([id, r]) => [id.includes('Assets') ? 'assets' : 'pages', { id, ...r }]),
    ) as Record<'assets' | 'pages', Res & { id: string; DependsOn?: string[] }>;
    expect(deployments.assets.Properties).toMatchObject({
      Exclude: ['*'],
      Include: ['assets/*'],
      Prune: false, // a page loaded before a deploy may still fetch its chunks
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(deployments.pages.Properties).toMatchObject({
      Exclude: ['assets/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(deployments.pages.Properties.Include).toBeUndefined();
    // the same build in both, and index.html only after the chunks it names
    expect(deployments.pages.Properties.SourceObjectKeys[0]).toEqual(deployments.assets.Properties.SourceObjectKeys[0]);
    expect(deployments.pages.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${deployments.assets.id}`))]),
    );
  });

  it("writes config.json at deploy: the API on the same origin, the guardians' API, Cognito sign-in with the domain and the web client", () => {
    const [, pages] = ofType('Custom::CDKBucketDeployment').find(([id]) => id.includes('Pages'))!;
    const key = pages.Properties.SourceObjectKeys[1] as string;
    const config = readFileSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
    const markers = pages.Properties.SourceMarkers[1] as Record<string, unknown>;
    const resolved = JSON.parse(config.replace(/<<marker:0xbaba:\d+>>/g, (m) => JSON.stringify(markers[m]).replace(/"/g, "'")));
    const [[clientId]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Res]];
    const [[domainId]] = ofType('AWS::Cognito::UserPoolDomain') as [[string, Res]];
    const [guardianApi] = ofType('AWS::ApiGatewayV2::Api').find(([, a]) => /guardians/.test(a.Properties.Description))!;
    expect(resolved).toEqual({
      apiBase: '',
      guardianApiBase: `{'Fn::GetAtt':['${guardianApi}','ApiEndpoint']}`,
      auth: {
        mode: 'cognito',
        domain: `https://{'Ref':'${domainId}'}.auth.{'Ref':'AWS::Region'}.amazoncognito.com`,
        clientId: `{'Ref':'${clientId}'}`,
        scopes: ['openid', 'email', 'phone', 'profile'],
      },
    });
  });

  it("sends security headers with every answer: HSTS, a strict CSP naming the sign-in domain and the guardians' API, nosniff, no framing, same-origin referrers", () => {
    const [[policyId, policy]] = ofType('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Res]];
    const d = distribution();
    for (const b of [d.DefaultCacheBehavior, ...d.CacheBehaviors])
      expect(b.ResponseHeadersPolicyId, b.PathPattern).toEqual({ Ref: policyId });
    const h = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(h.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(h.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    expect(h.ContentTypeOptions).toEqual({ Override: true });
    expect(h.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(h.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    const [[domainId]] = ofType('AWS::Cognito::UserPoolDomain') as [[string, Res]];
    const [guardianApi] = ofType('AWS::ApiGatewayV2::Api').find(([, a]) => /guardians/.test(a.Properties.Description))!;
    const named: Record<string, string> = {
      [JSON.stringify({ Ref: domainId })]: '<prefix>',
      [JSON.stringify({ 'Fn::GetAtt': [guardianApi, 'ApiEndpoint'] })]: '<guardians>',
    };
    const csp = (h.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'][1] as unknown[])
      .map((p) => (typeof p === 'string' ? p : (named[JSON.stringify(p)] ?? '<region>')))
      .join('');
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    const cognito = 'https://<prefix>.auth.<region>.amazoncognito.com';
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'connect-src': ["'self'", cognito, '<guardians>'],
      'img-src': ["'self'", 'data:'],
      'style-src': ["'self'"],
      'script-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'self'", cognito],
    });
  });

  it("gives the app's address as an output", () => {
    expect(template.toJSON().Outputs.AppUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]],
    });
  });
});
