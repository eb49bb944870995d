import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { Construct } from "constructs";

export interface DeliveryLogGroupProps {
  /** Log group name. @default "/aws/kinesisfirehose/ownstats" */
  readonly name?: string;
  /** Days Firehose delivery errors are kept. @default 14 */
  readonly retentionDays?: number;
}

/** The CloudWatch log group where every Firehose stream of the stack reports delivery errors. */
export class DeliveryLogGroup extends Construct {
  readonly group: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: DeliveryLogGroupProps = {}) {
    super(scope, id);
    this.group = new CloudwatchLogGroup(this, "group", {
      name: props.name ?? "/aws/kinesisfirehose/ownstats",
      retentionInDays: props.retentionDays ?? 14,
    });
  }

  /** The ARN that a log stream of this group has, for `logs:PutLogEvents` grants. */
  logStreamArn(streamName: string): string {
    return `${this.group.arn}:log-stream:${streamName}`;
  }
}
