import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { Fn, type IResolvable, propertyAccess, Token } from "cdktf";
import { Construct } from "constructs";
import { RAW_PREFIX } from "./event-store.ts";
import { type AccountIdentity, policyDocument } from "./policy.ts";

/** GitHub Actions' OIDC issuer (host and path, as IAM's condition keys spell it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface ReportAccessProps {
  /** Role name. @default "ownstats-report-reader" */
  readonly name?: string;
  /** Where the stack is deployed, to name an existing OIDC provider by ARN. */
  readonly identity: AccountIdentity;
  /** `owner/name` whose `branch` may assume the role (a token from `github_repository`). */
  readonly githubRepository: string;
  /** Branch allowed to assume the role (a token from `github_branch`). @default "main" */
  readonly branch?: string;
  /** `count` of the OIDC provider: 1 to create it here, 0 when the account has one (a token). */
  readonly oidcProviderCount: number;
  /** Whether the OIDC provider is created here (the boolean token behind `oidcProviderCount`). */
  readonly createOidcProvider: IResolvable;
  /** The event bucket. */
  readonly bucketArn: string;
  /** Longest session of the role, in seconds; a report build takes minutes. @default 3600 */
  readonly maxSessionSeconds?: number;
}

/**
 * Read access for the scheduled report build: GitHub Actions of one repository's one branch
 * assume a role through OIDC (no stored keys) that may list raw/ and read raw/ objects, nothing else.
 */
export class ReportAccess extends Construct {
  readonly role: IamRole;
  /** The OIDC subjects (`sub`) the role trusts, as IAM `StringLike` patterns. */
  readonly trustedSubjects: string[];

  constructor(scope: Construct, id: string, props: ReportAccessProps) {
    super(scope, id);
    const provider = new IamOpenidConnectProvider(this, "github-oidc", {
      count: props.oidcProviderCount,
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: ["sts.amazonaws.com"],
      // No thumbprint: IAM verifies GitHub's certificate through its own trusted CA library.
    });
    const { partition, accountId } = props.identity;
    const existingProviderArn = `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
    const providerArn = Token.asString(
      Fn.conditional(props.createOidcProvider, propertyAccess(provider.fqn, [0, "arn"]), existingProviderArn),
    );

    this.trustedSubjects = trustedSubjects(props.githubRepository, props.branch ?? "main");

    this.role = new IamRole(this, "role", {
      name: props.name ?? "ownstats-report-reader",
      description: "GitHub Actions report build: read raw events",
      maxSessionDuration: props.maxSessionSeconds ?? 3600,
      assumeRolePolicy: policyDocument(this, "trust", [
        {
          effect: "Allow",
          principals: [{ type: "Federated", identifiers: [providerArn] }],
          actions: ["sts:AssumeRoleWithWebIdentity"],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: ["sts.amazonaws.com"] },
            {
              // Exactly one repository and branch; a job with `environment:` has another subject and is refused.
              test: "StringLike",
              variable: `${GITHUB_OIDC_HOST}:sub`,
              values: this.trustedSubjects,
            },
          ],
        },
      ]),
    });

    new IamRolePolicy(this, "read-raw", {
      name: "read-raw-events",
      role: this.role.id,
      policy: policyDocument(this, "permissions", [
        {
          sid: "ListRawEvents",
          effect: "Allow",
          actions: ["s3:ListBucket"],
          resources: [props.bucketArn],
          condition: [{ test: "StringLike", variable: "s3:prefix", values: [RAW_PREFIX, `${RAW_PREFIX}*`] }],
        },
        {
          sid: "ReadRawEvents",
          effect: "Allow",
          actions: ["s3:GetObject"],
          resources: [`${props.bucketArn}/${RAW_PREFIX}*`],
        },
      ]),
    });
  }
}

/**
 * The subjects GitHub gives a run on `branch` of `owner/name`. Repositories created (or renamed or
 * transferred) since mid-2026 carry immutable ids in it, `repo:owner@123/name@456:ref:…`; older ones
 * the bare names. Both are trusted: `*` stands only where an id goes, and neither an owner nor a
 * repository name may hold `@` or `/`, nor a branch `:`, so no other repository or branch matches.
 * IAM compares case-sensitively and has no case-insensitive wildcard operator: the names must be
 * spelled as GitHub spells them.
 */
export function trustedSubjects(repository: string, branch: string): string[] {
  const owner = Fn.element(Fn.split("/", repository), 0);
  const name = Fn.element(Fn.split("/", repository), 1);
  return [
    `repo:${repository}:ref:refs/heads/${branch}`,
    `repo:${owner}@*/${name}@*:ref:refs/heads/${branch}`,
  ];
}
