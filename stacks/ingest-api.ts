import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { Fn, TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";

/** The one route of the API, as the tracker calls it. */
export const EVENTS_ROUTE = { method: "POST", path: "/v1/events" } as const;

export interface IngestApiProps {
  /** API name. @default "ownstats-events" */
  readonly name?: string;
  /** The collector function behind the route. */
  readonly handler: LambdaFunction;
  /**
   * A second events route, for a proxy on the site's own domain that forwards its path unchanged:
   * `path` from `collect_api_endpoint`, made when `count` is 1.
   */
  readonly collectRoute?: { readonly path: string; readonly count: number };
  /**
   * Origins browsers may send from (a list token from `allowed_origins`). An entry with a wildcard
   * first label (`https://*.example.com`) is `https://*` to the API's CORS, which takes no other
   * wildcard; the collector, which gets the list as written, refuses the rest of the scheme's origins.
   */
  readonly allowedOrigins: string[];
  /** Steady requests per second before 429s. @default 50 */
  readonly throttleRate?: number;
  /** Burst above the steady rate. @default 100 */
  readonly throttleBurst?: number;
  /** Seconds a browser may cache a CORS preflight answer. @default 86400 */
  readonly corsMaxAgeSeconds?: number;
}

/**
 * The public front door: an API Gateway HTTP API (about a third of a REST API's price) with
 * `POST /v1/events`, CORS for the allowed origins, and stage throttling as an abuse and cost guard.
 */
export class IngestApi extends Construct {
  readonly api: Apigatewayv2Api;
  /** The URL the tracker posts to. */
  readonly eventsUrl: string;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.api = new Apigatewayv2Api(this, "api", {
      name: props.name ?? "ownstats-events",
      protocolType: "HTTP",
      description: "ownstats events endpoint",
      corsConfiguration: {
        allowOrigins: corsOrigins(props.allowedOrigins),
        allowMethods: [EVENTS_ROUTE.method, "OPTIONS"],
        allowHeaders: ["content-type"],
        maxAge: props.corsMaxAgeSeconds ?? 86400,
      },
    });

    const integration = new Apigatewayv2Integration(this, "collector", {
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: props.handler.invokeArn,
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: 15_000,
    });

    new Apigatewayv2Route(this, "events-route", {
      apiId: this.api.id,
      routeKey: `${EVENTS_ROUTE.method} ${EVENTS_ROUTE.path}`,
      target: `integrations/${integration.id}`,
    });

    if (props.collectRoute) {
      const { path, count } = props.collectRoute;
      new Apigatewayv2Route(this, "collect-route", {
        count,
        apiId: this.api.id,
        routeKey: `${EVENTS_ROUTE.method} ${path}`,
        target: `integrations/${integration.id}`,
      });
      new LambdaPermission(this, "collect-invoke", {
        count,
        statementId: "AllowCollectRouteInvoke",
        action: "lambda:InvokeFunction",
        functionName: props.handler.functionName,
        principal: "apigateway.amazonaws.com",
        sourceArn: `${this.api.executionArn}/*/${EVENTS_ROUTE.method}${path}`,
      });
    }

    new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      // No access log: API Gateway's access log would record each visitor's IP address.
      defaultRouteSettings: {
        throttlingRateLimit: props.throttleRate ?? 50,
        throttlingBurstLimit: props.throttleBurst ?? 100,
      },
    });

    new LambdaPermission(this, "invoke", {
      statementId: "AllowEventsRouteInvoke",
      action: "lambda:InvokeFunction",
      functionName: props.handler.functionName,
      principal: "apigateway.amazonaws.com",
      // Only this API's events route, from any stage.
      sourceArn: `${this.api.executionArn}/*/${EVENTS_ROUTE.method}${EVENTS_ROUTE.path}`,
    });

    this.eventsUrl = `${this.api.apiEndpoint}${EVENTS_ROUTE.path}`;
  }
}

/** The origins as API Gateway's CORS takes them: `scheme://*.domain` becomes `scheme://*`. */
function corsOrigins(allowedOrigins: string[]): string[] {
  // In a for expression the iterator's element is `val`.
  const wildcardsAsSchemes = TerraformIterator.fromList(allowedOrigins).forExpressionForList(
    'replace(val, "/^(https?://)[*][.].*$/", "$${1}*")',
  );
  return Token.asList(Fn.distinct(Token.asList(wildcardsAsSchemes)));
}
