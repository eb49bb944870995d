// The stack's variables under the real terraform binary, offline: what each refuses, with a message
// naming it, and the report role's trust that github_repository and github_branch write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  created,
  iamStringLike,
  type OfflineTerraform,
  openOfflineTerraform,
  type Plan,
  pluginDir,
  REQUIRED_VARS,
  slow,
  warnWhenSkipped,
} from "./offline-terraform.ts";

warnWhenSkipped("stacks/terraform-variables.test.ts");

describe.skipIf(!pluginDir)("terraform variables (offline)", () => {
  let tf: OfflineTerraform;
  const planOnly = (...args: string[]) => tf.planOnly(...args);
  const plan = (name: string, vars: string[]) => tf.plan(name, vars);
  /** A plan with allowed_origins = [origin] stops at the variable's validation, naming it. */
  const expectOriginRefused = (origin: string) =>
    expect(
      planOnly("-var", `allowed_origins=["${origin}"]`, "-var", "github_repository=octocat/site"),
      origin,
    ).rejects.toThrow(/allowed_origins must list at least one origin/);

  beforeAll(async () => {
    tf = await openOfflineTerraform();
  }, slow);

  afterAll(() => tf?.close());

  it(
    "trusts the run of the repository's main branch in both of GitHub's subject formats, and no other",
    async () => {
      const p = await plan("subjects", [
        "-var",
        'allowed_origins=["https://example.com"]',
        "-var",
        "github_repository=Octo-Cat/My.Site",
      ]);
      const patterns = p.planned_values.outputs.report_role_subjects?.value as string[];
      const trusts = (subject: string) => patterns.some((pattern) => iamStringLike(pattern, subject));
      // Repositories from before mid-2026 carry the names alone; newer ones (and renamed ones) carry ids too.
      expect(trusts("repo:Octo-Cat/My.Site:ref:refs/heads/main")).toBe(true);
      expect(trusts("repo:Octo-Cat@5417/My.Site@90210:ref:refs/heads/main")).toBe(true);
      for (const other of [
        "repo:Octo-Cat/My.Site:ref:refs/heads/feature",
        "repo:Octo-Cat/My.Site:pull_request",
        "repo:Octo-Cat/My.Site:environment:github-pages",
        "repo:Octo-Cat/My.Site2:ref:refs/heads/main",
        "repo:Octo-Cat@5417/My.Site-fork@1:ref:refs/heads/main",
        "repo:Octo-Cat@5417/My.Site@90210:ref:refs/heads/mainline",
        "repo:Other@1/My.Site@2:ref:refs/heads/main",
        // IAM's StringLike is case-sensitive: the README says to spell the name as GitHub does.
        "repo:octo-cat/my.site:ref:refs/heads/main",
      ]) {
        expect(trusts(other), other).toBe(false);
      }
    },
    slow,
  );

  it(
    "rejects out-of-range and malformed variables with a message naming them",
    async () => {
      const attempt = planOnly(
        "-var",
        "firehose_buffer_seconds=901",
        "-var",
        'allowed_origins=["https://example.com/"]',
        "-var",
        "github_repository=not-a-repository",
        "-var",
        "alarm_email=ops at example.com",
        "-var",
        "kinesis_shard_count=0",
      );
      await expect(attempt).rejects.toThrow(/firehose_buffer_seconds must be a whole number from 0 to 900/);
      await expect(attempt).rejects.toThrow(/allowed_origins must list at least one origin/);
      await expect(attempt).rejects.toThrow(/github_repository must be "owner\/name"/);
      await expect(attempt).rejects.toThrow(/alarm_email must be an email address/);
      await expect(attempt).rejects.toThrow(/kinesis_shard_count must be a whole number of shards/);
    },
    slow,
  );

  it(
    "refuses a Kinesis capacity mode other than PROVISIONED or ON_DEMAND, naming both",
    async () => {
      for (const mode of ["on-demand", "on_demand", "PAY_PER_REQUEST", ""]) {
        const attempt = planOnly(...REQUIRED_VARS, "-var", `kinesis_stream_mode=${mode}`);
        await expect(attempt, mode).rejects.toThrow(
          /kinesis_stream_mode must be "PROVISIONED" \(kinesis_shard_count shards\) or\s+"ON_DEMAND"/,
        );
      }
    },
    slow,
  );

  it(
    "trusts the branch github_branch names, for a repository whose default branch is not main",
    async () => {
      const p = await plan("branch", [...REQUIRED_VARS, "-var", "github_branch=master"]);
      expect(p.planned_values.outputs.report_role_subjects?.value).toEqual([
        "repo:octocat/site:ref:refs/heads/master",
        "repo:octocat@*/site@*:ref:refs/heads/master",
      ]);
      for (const branch of ["*", "ma?n", "main:environment", "/main", "release//site"]) {
        const attempt = planOnly(...REQUIRED_VARS, "-var", `github_branch=${branch}`);
        await expect(attempt, branch).rejects.toThrow(/github_branch must be a branch name such as "main"/);
      }
    },
    slow,
  );

  it(
    "refuses a github_repository that would widen the role's trust through IAM's wildcards",
    async () => {
      // The trust condition is a StringLike: a `*` or `?` typed here would let other repositories in.
      for (const repository of ["octocat/*", "*/*", "octocat/site?", "octocat/site:ref:refs/heads/dev"]) {
        const attempt = planOnly(
          "-var",
          'allowed_origins=["https://example.com"]',
          "-var",
          `github_repository=${repository}`,
        );
        await expect(attempt, repository).rejects.toThrow(/github_repository must be "owner\/name"/);
      }
    },
    slow,
  );

  it(
    "rejects an origin that API Gateway's CORS would never match against a browser's Origin header",
    async () => {
      // Browsers send the scheme and host in lower case and leave out the default port; the API's
      // CORS compares the list as written, so such an entry leaves its site's requests unanswered.
      for (const origin of ["https://Example.com", "https://example.com:443", "http://example.com:80"])
        await expectOriginRefused(origin);
      const accepted = await plan("origins-with-ports", [
        "-var",
        'allowed_origins=["https://example.com:8443","http://localhost:3000"]',
        "-var",
        "github_repository=octocat/site",
      ]);
      expect(created(accepted).length).toBeGreaterThan(0);
    },
    slow,
  );
  it(
    "takes a wildcard subdomain origin: https://* to the API's CORS, as written to the collector",
    async () => {
      const p = await plan("wildcard-origins", [
        "-var",
        'allowed_origins=["https://example.com","https://*.example.com","http://*.example.org:8080"]',
        "-var",
        "github_repository=octocat/site",
      ]);
      const values = (type: string) =>
        p.planned_values.root_module.resources.find((r) => r.type === type)?.values as Record<
          string,
          unknown
        >;
      const cors = (values("aws_apigatewayv2_api").cors_configuration as { allow_origins: string[] }[])[0];
      // API Gateway takes no wildcard but a whole scheme's; the collector checks the subdomains.
      expect(cors?.allow_origins.sort()).toEqual(["http://*", "https://*", "https://example.com"]);
      const env = (values("aws_lambda_function").environment as { variables: Record<string, string> }[])[0];
      expect(env?.variables.ALLOWED_ORIGINS).toBe(
        "https://example.com,https://*.example.com,http://*.example.org:8080",
      );
      // A star anywhere else would match nothing, in the API or in the collector.
      for (const origin of [
        "https://*example.com",
        "https://www.*.example.com",
        "*.example.com",
        "https://*",
      ])
        await expectOriginRefused(origin);
    },
    slow,
  );
  it(
    "routes events at collect_api_endpoint only when it is set, and refuses a path the collector would",
    async () => {
      const routeKeys = (p: Plan) =>
        p.planned_values.root_module.resources
          .filter((r) => r.type === "aws_apigatewayv2_route")
          .map((r) => r.values.route_key)
          .sort();
      const set = await plan("collect-route", [...REQUIRED_VARS, "-var", "collect_api_endpoint=/e"]);
      expect(routeKeys(set)).toEqual(["POST /e", "POST /v1/events"]);
      expect(created(set).filter((c) => c.type === "aws_lambda_permission")).toHaveLength(2);
      const unset = await plan("no-collect-route", REQUIRED_VARS);
      expect(routeKeys(unset)).toEqual(["POST /v1/events"]);
      expect(created(unset).filter((c) => c.type === "aws_lambda_permission")).toHaveLength(1);
      for (const path of ["e", "/e/", "/v1/events", "/a/../e"]) {
        const attempt = planOnly(...REQUIRED_VARS, "-var", `collect_api_endpoint=${path}`);
        await expect(attempt, path).rejects.toThrow(
          /collect_api_endpoint must be empty or a path such as "\/e"/,
        );
      }
    },
    slow,
  );

  it(
    "refuses tags that S3 or IAM would refuse halfway through an apply, and takes any language's letters",
    async () => {
      const tagsVar = (tags: Record<string, string>) =>
        `tags={${Object.entries(tags)
          .map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`)
          .join(",")}}`;
      const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag-${i}`, "x"]));
      for (const tags of [{ department: "R&D" }, { "owner,team": "web" }, { team: "web*" }, tooMany]) {
        const attempt = planOnly(...REQUIRED_VARS, "-var", tagsVar(tags));
        await expect(attempt, JSON.stringify(tags).slice(0, 40)).rejects.toThrow(
          /tags must map keys of 1-128 characters[\s\S]*no &, comma or \*/,
        );
      }
      const accepted = await plan("tags-unicode", [
        ...REQUIRED_VARS,
        "-var",
        tagsVar({ "cost center": "Café Müller", "team:web/ops": "a=b+c@d_e.f-g", application: "site" }),
      ]);
      expect(created(accepted).length).toBeGreaterThan(0);
    },
    slow,
  );

  it(
    "lets an operator's Application tag stand for application, as IAM takes tag keys without regard to case, and refuses two keys only case tells apart",
    async () => {
      // IAM refuses a role whose tags hold both "application" and "Application" (Duplicate tag keys).
      const capitalized = await plan("tags-capitalized", [
        ...REQUIRED_VARS,
        "-var",
        'tags={"Application"="site"}',
      ]);
      const taggable = capitalized.planned_values.root_module.resources.filter(
        (r) => "tags_all" in (r.values ?? {}),
      );
      expect(taggable.map((r) => r.type)).toContain("aws_iam_role");
      for (const r of taggable) expect(r.values.tags_all, r.type).toEqual({ Application: "site" });
      const twice = planOnly(...REQUIRED_VARS, "-var", 'tags={"Owner"="web","owner"="ops"}');
      await expect(twice).rejects.toThrow(/tags must not hold two keys that differ only in case/);
    },
    slow,
  );
});
