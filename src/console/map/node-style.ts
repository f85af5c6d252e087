/** How a node type is drawn: a short glyph inside the ring and a readable type name below it. */
export interface NodeStyle {
  readonly glyph: string;
  readonly label: string;
  readonly tone: 'compute' | 'data' | 'messaging' | 'edge' | 'external' | 'client';
}

const STYLES: Readonly<Record<string, NodeStyle>> = {
  'client': { glyph: '', label: 'Client', tone: 'client' },
  'AWS::ApiGateway::Stage': { glyph: 'API', label: 'API Gateway stage', tone: 'edge' },
  'AWS::Lambda': { glyph: 'λ', label: 'Lambda', tone: 'compute' },
  'AWS::Lambda::Function': { glyph: 'ƒ', label: 'Lambda function', tone: 'compute' },
  'AWS::DynamoDB::Table': { glyph: 'DDB', label: 'DynamoDB table', tone: 'data' },
  'AWS::DynamoDB': { glyph: 'DDB', label: 'DynamoDB', tone: 'data' },
  'AWS::SNS': { glyph: 'SNS', label: 'SNS topic', tone: 'messaging' },
  'AWS::SQS::Queue': { glyph: 'SQS', label: 'SQS queue', tone: 'messaging' },
  'AWS::SQS': { glyph: 'SQS', label: 'SQS', tone: 'messaging' },
  'AWS::S3::Bucket': { glyph: 'S3', label: 'S3 bucket', tone: 'data' },
  'AWS::S3': { glyph: 'S3', label: 'S3', tone: 'data' },
  'AWS::EC2::Instance': { glyph: 'EC2', label: 'EC2 instance', tone: 'compute' },
  'AWS::ECS::Container': { glyph: 'ECS', label: 'ECS container', tone: 'compute' },
  'AWS::StepFunctions::StateMachine': { glyph: 'SFN', label: 'Step Functions', tone: 'compute' },
  'remote': { glyph: 'HTTP', label: 'Remote', tone: 'external' },
  'Database::SQL': { glyph: 'SQL', label: 'SQL database', tone: 'data' },
};

/** A label wider than this would run across the neighbouring nodes; the node's title has the full type. */
export const MAX_LABEL_CHARS = 24;

export function styleOf(type: string): NodeStyle {
  const known = STYLES[type];
  if (known !== undefined) return known;
  const last = type.split('::').filter((part) => part !== '' && part !== 'AWS').pop() ?? type;
  return { glyph: last.replace(/[^A-Za-z0-9]/g, '').slice(0, 3).toUpperCase() || '?', label: shortLabel(type), tone: 'compute' };
}

/** Keeps a label to MAX_LABEL_CHARS characters (code points, so no surrogate pair is split), ending in an ellipsis when cut. */
export function shortLabel(text: string): string {
  const characters = Array.from(text);
  return characters.length <= MAX_LABEL_CHARS ? text : `${characters.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}
