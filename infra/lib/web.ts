/**
 * The web app on AWS: its files in a private S3 bucket, read only by one CloudFront
 * distribution (Origin Access Control), which also fronts the HTTP API, so the app and the API
 * share one origin (no CORS) and one set of security headers.
 *
 * Paths (the rule the local server follows too, packages/web/README.md): a path whose first
 * segment is one of the API routes' first segments goes to the API, uncached, with everything
 * the viewer sent but the Host header; everything else is the app. The app's own routes
 * (`/sessions`, `/setup/…`) are answered with `index.html` by a CloudFront Function on the
 * app's behaviour only — not by the distribution's custom error responses, which would turn
 * the API's own 403s and 404s into the app's page.
 *
 * Caching: `assets/*` (content-hashed by Vite) for a year, immutable, and never pruned (a page
 * loaded before a deploy may still fetch its chunks); `index.html`, `config.json` and the rest
 * are revalidated at each load and not cached at the edge, so a deploy shows at once without an
 * invalidation.
 *
 * The app is built by `cdk synth` itself (`npm run build -w @kehou/web`, as asset bundling):
 * a fresh clone deploys without a build step of its own, offline.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { AssetHashType, DockerImage, Duration, Fn } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { RouteSpec } from '@kehou/http';
import { REPO_ROOT } from './api';
import type { Auth } from './auth';

/** `/config.json`, which the app reads before anything else (packages/web/README.md). */
export interface WebConfig {
  /** '' = the API is on the app's origin */
  apiBase: string;
  /** where guardians signed in with an invitation send their requests: the guardians' API */
  guardianApiBase: string;
  auth: { mode: 'cognito'; domain: string; clientId: string; scopes: string[] };
}

/** Paths of the app's files that are not to be mistaken for the API's. */
const APP_SEGMENTS = new Set(['assets', 'index.html', 'config.json']);

/**
 * The distribution's path patterns for the API: `/x` and `/x/*` for each first segment `x` of
 * a route's path. A new family of routes in the registry gets its behaviour without a change here.
 */
export function apiPathPatterns(routes: readonly Pick<RouteSpec, 'path'>[]): string[] {
  const segments = new Set<string>();
  for (const { path } of routes) {
    const first = path.split('/')[1] ?? '';
    if (first === '' || first.includes('{') || APP_SEGMENTS.has(first))
      throw new Error(`route ${path}: an API path must start with a fixed segment of its own, to be told apart from the app's`);
    segments.add(first);
  }
  return [...segments].sort().flatMap((s) => [`/${s}`, `/${s}/*`]);
}

/**
 * A viewer-request function (CloudFront Functions, JavaScript runtime 2.0) on the app's
 * behaviour: a path whose last segment has no dot is one of the app's routes, answered with
 * `index.html`; files keep their path.
 */
export const SPA_ROUTES_CODE = `function handler(event) {
  var request = event.request;
  if (request.uri.slice(request.uri.lastIndexOf('/') + 1).indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * A viewer-request function on the API's behaviours: the API sees the execute-api host, so it is
 * told the one the viewer used (links it returns, such as calendar feeds, are on the app's origin).
 */
export const FORWARDED_HOST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  return request;
}`;

/** The Content-Security-Policy the app works under (packages/web/README.md), given the sign-in domain and the guardians' API. */
export const contentSecurityPolicy = (signInDomain: string, guardianApi: string) =>
  [
    "default-src 'self'",
    `connect-src 'self' ${signInDomain} ${guardianApi}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    `form-action 'self' ${signInDomain}`,
  ].join('; ');

/** Builds the app into `outputDir` (asset bundling's local step). */
function buildApp(outputDir: string): boolean {
  // the build script is `vite build`: the arguments go to Vite, so the output lands here and
  // never in packages/web/dist, which other builds (npm start, the bundle-size test) may be using
  execFileSync('npm', ['run', 'build', '-w', '@kehou/web', '--', '--outDir', outputDir, '--emptyOutDir'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  rmSync(join(outputDir, '.vite'), { recursive: true, force: true }); // Vite's manifest: not to be served
  return true;
}

export interface WebProps {
  api: HttpApi;
  /** the API for guardians' session tokens (guardians.ts): the app calls it for a guardian, across origins (it allows CORS) */
  guardianApi: HttpApi;
  /** every route of the API: the distribution sends their paths to it */
  routes: readonly Pick<RouteSpec, 'path'>[];
  auth: Auth;
}

export class Web extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution>.cloudfront.net`, no trailing slash */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'App', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const signInDomain = props.auth.domain.baseUrl();
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Kehou: security headers of the app and the API',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(signInDomain, props.guardianApi.apiEndpoint),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });
    const edgeFunction = (name: string, code: string) => [
      {
        eventType: FunctionEventType.VIEWER_REQUEST,
        function: new EdgeFunction(this, name, { code: FunctionCode.fromInline(code), runtime: FunctionRuntime.JS_2_0 }),
      },
    ];
    const appOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const api: BehaviorOptions = {
      // the API's host, from its endpoint `https://<id>.execute-api.<region>.amazonaws.com`
      origin: new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint))),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Host would name the distribution, which API Gateway does not answer to; with caching
      // disabled, Authorization is forwarded too
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      functionAssociations: edgeFunction('ForwardedHost', FORWARDED_HOST_CODE),
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Kehou 课后: the web app and its API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: appOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: headers,
        functionAssociations: edgeFunction('SpaRoutes', SPA_ROUTES_CODE),
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: appOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
        },
        ...Object.fromEntries(apiPathPatterns(props.routes).map((pattern) => [pattern, api])),
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const app = new Asset(this, 'Build', {
      // the build reads more than packages/web (the API's schema, the workspace's packages);
      // the asset's identity is its output
      path: REPO_ROOT,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        image: DockerImage.fromRegistry('unused'), // the local build never falls back to Docker
        local: { tryBundle: (outputDir) => buildApp(outputDir) },
      },
    });
    const build = Source.bucket(app.bucket, app.s3ObjectKey);
    // the deployments share one function (CDK's), and so its logs
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.THREE_MONTHS });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [build],
      destinationBucket: this.bucket,
      logGroup,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    const config: WebConfig = {
      apiBase: '',
      guardianApiBase: props.guardianApi.apiEndpoint,
      auth: {
        mode: 'cognito',
        domain: signInDomain,
        clientId: props.auth.client.userPoolClientId,
        scopes: props.auth.scopes,
      },
    };
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [build, Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      logGroup,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
    });
    // a new index.html never names a chunk that is not there yet
    pages.node.addDependency(assets);
  }
}
