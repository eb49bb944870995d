import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js";
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { attributeOf } from "./counted.ts";

export type PolicyStatement = DataAwsIamPolicyDocumentStatement;

/**
 * An IAM policy document as JSON. The aws_iam_policy_document data source is computed by the
 * provider itself (no AWS call, so plans work offline) and keeps every statement structured in
 * the synthesized Terraform, where the security tests read them. With `count`, the document
 * exists only alongside the resources it names.
 */
export function policyDocument(
  scope: Construct,
  id: string,
  statements: PolicyStatement[],
  count?: number,
): string {
  const document = new DataAwsIamPolicyDocument(scope, id, { count, statement: statements });
  return attributeOf(document, "json", count !== undefined);
}

/**
 * Trust policy for an AWS service role, bound to this account so that another account cannot make
 * the service act with it (the confused-deputy problem): by `aws:SourceAccount`, and, with
 * `externalIdIsAccount`, also by `sts:ExternalId`, in a statement of its own, for a service whose
 * guide binds its roles by the external id it passes, the account that owns its resource (Firehose).
 * Either statement alone admits only this account's calls.
 */
export function serviceTrustPolicy(
  scope: Construct,
  id: string,
  service: string,
  accountId: string,
  { externalIdIsAccount = false }: { externalIdIsAccount?: boolean } = {},
): string {
  const bound = (variable: string): PolicyStatement => ({
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [service] }],
    actions: ["sts:AssumeRole"],
    condition: [{ test: "StringEquals", variable, values: [accountId] }],
  });
  const statements = [bound("aws:SourceAccount")];
  if (externalIdIsAccount) statements.push(bound("sts:ExternalId"));
  return policyDocument(scope, id, statements);
}

/**
 * Conditions that let an AWS service principal act only for this account's resources whose ARN
 * matches `sourceArn` (IAM `ArnLike`): without them, the service acting for another account's
 * resource could use the grant (the confused-deputy problem).
 */
export function onBehalfOf(accountId: string, sourceArn: string): PolicyStatement["condition"] {
  return [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
    { test: "ArnLike", variable: "aws:SourceArn", values: [sourceArn] },
  ];
}

/** Where this stack is deployed, as Terraform expressions. */
export interface AccountIdentity {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Reads partition, region and account from the ARN of a resource this stack creates
 * (arn:PARTITION:SERVICE:REGION:ACCOUNT:…). Unlike the aws_caller_identity data source, this needs
 * no STS call, so a plan works offline and the deploying identity needs no extra permission.
 */
export function identityFromArn(arn: string): AccountIdentity {
  const part = (index: number) => Fn.element(Fn.split(":", arn), index);
  return { partition: part(1), region: part(3), accountId: part(4) };
}
