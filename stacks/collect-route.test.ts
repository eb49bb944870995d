// collect_api_endpoint in the synthesized Terraform: a second events route, the Lambda's permission
// for it and the collector's COLLECT_API_ENDPOINT, made only when the variable is set.
import { describe, expect, it } from "vitest";
import { onlyResource, synthesizeStack } from "./synthesized.ts";

const { tf } = synthesizeStack();
const WHEN_SET = "${length(compact([var.collect_api_endpoint]))}";

describe("collect_api_endpoint", () => {
  it("adds a POST route at the path, with its own invoke permission, only when set", () => {
    expect(onlyResource(tf, "aws_apigatewayv2_route", "collect-route")).toMatchObject({
      count: WHEN_SET,
      route_key: "POST ${var.collect_api_endpoint}",
      target: onlyResource(tf, "aws_apigatewayv2_route", "events-route").target,
    });
    const permission = onlyResource(tf, "aws_lambda_permission", "collect-invoke");
    expect(permission).toMatchObject({ count: WHEN_SET, principal: "apigateway.amazonaws.com" });
    expect(permission.source_arn).toMatch(/\.execution_arn\}\/\*\/POST\$\{var\.collect_api_endpoint\}$/);
  });

  it("tells the collector the path, which takes events there as at /v1/events", () => {
    const lambda = onlyResource(tf, "aws_lambda_function");
    const variables = (lambda.environment as { variables: Record<string, string> }).variables;
    expect(variables.COLLECT_API_ENDPOINT).toBe("${var.collect_api_endpoint}");
  });
});
