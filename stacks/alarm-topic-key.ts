import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { Construct } from "constructs";
import { attributeOf } from "./counted.ts";
import { type AccountIdentity, onBehalfOf, policyDocument } from "./policy.ts";

export interface AlarmTopicKeyProps {
  /** Alias of the key, without `alias/`. */
  readonly name: string;
  /** `count` of the key: 1 to create it, 0 to leave it out (a token from `encrypt_alarm_topic`). */
  readonly count: number;
  readonly identity: AccountIdentity;
  /** ARN pattern of the alarms that publish to the topic (IAM `ArnLike`). */
  readonly alarmArns: string;
}

/**
 * What the account may do with the key: manage it, not use it. Only CloudWatch encrypts and
 * decrypts with it, so no person or role in the account reads the alarm messages through it.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/**
 * A customer-managed KMS key for the alarm topic. CloudWatch cannot publish to a topic under the
 * AWS-managed SNS key (its policy cannot be changed to let CloudWatch in), so an encrypted alarm
 * topic needs a key whose policy grants cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*;
 * without that grant every alarm still changes state but its message is dropped.
 */
export class AlarmTopicKey extends Construct {
  readonly key: KmsKey;
  /** ARN of the key's single instance; valid only where the same `count` gates the reader. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicKeyProps) {
    super(scope, id);
    const { partition, accountId } = props.identity;
    this.key = new KmsKey(this, "key", {
      count: props.count,
      description: `Encrypts the ${props.name} SNS topic; CloudWatch alarms publish with it`,
      // In a key policy, "*" is the key itself.
      policy: policyDocument(
        this,
        "key-policy",
        [
          {
            sid: "AccountAdministersKey",
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
            actions: KEY_ADMINISTRATION_ACTIONS,
            resources: ["*"],
          },
          {
            sid: "CloudWatchPublishesAlarms",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
            actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
            resources: ["*"],
            // CloudWatch sends the alarm's account and ARN with each message it encrypts.
            condition: onBehalfOf(accountId, props.alarmArns),
          },
        ],
        props.count,
      ),
      // SNS keeps a message only until it is delivered: there is nothing old to re-key, and each
      // of the first two yearly rotations would add $1 a month.
      enableKeyRotation: false,
      // Nothing stays encrypted under it, so a week is enough to undo a mistaken removal.
      deletionWindowInDays: 7,
    });
    this.arn = attributeOf(this.key, "arn", true);
    new KmsAlias(this, "alias", {
      count: props.count,
      name: `alias/${props.name}`,
      targetKeyId: attributeOf(this.key, "key_id", true),
    });
  }
}
