import { isAbsolute, join } from 'node:path';
import type { CloudModel, CloudResource } from '../core/types.ts';
import type { AssemblyStack, CfnResource } from './assembly.ts';
import { IntrinsicResolver, NO_VALUE } from './intrinsics.ts';
import type { IntrinsicScope } from './intrinsics.ts';
import { nameResource } from './physical-ids.ts';
import type { NamingContext, ResourceNaming } from './physical-ids.ts';
import { isRecord } from '../../common/is-record.ts';

/** A resource as the template reader gives it: the shared CloudResource plus what the template says about it. */
export interface TemplateResource extends CloudResource {
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly string[];
  /** Absolute folder of the resource's asset (`aws:asset:path` metadata), e.g. a function's bundle. */
  readonly assetPath: string | undefined;
}

export interface TemplateCloudModel extends CloudModel {
  readonly resources: ReadonlyArray<TemplateResource>;
  byType(type: string): TemplateResource[];
  /** Resolved Outputs of each stack, by stack name and output logical id. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Resolved exports (Export.Name -> value) of all stacks. */
  readonly exports: ReadonlyMap<string, unknown>;
  /** The resource an ARN or physical id names (a function name or ARN, a queue URL or ARN, ...). */
  find(arnOrPhysicalId: string): TemplateResource | undefined;
}

export interface CloudModelOptions {
  /** Base URL of the local AWS endpoint, e.g. http://127.0.0.1:4566 (queue URLs are built on it). */
  readonly endpointUrl: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Parameter values by stack name, overriding template defaults. */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Local URLs by `<stack>/<logicalId>` (HTTP APIs, function URLs): their URL attributes resolve to these. */
  readonly localUrls?: ReadonlyMap<string, string>;
}

const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';
/** Template parameters CDK adds for its own bootstrap checks; only `Rules` read them. */
const CDK_BOOTSTRAP_PARAMETER = 'BootstrapVersion';

/** Resolves one stack's template against the exports of the stacks before it. */
class StackResolver implements IntrinsicScope {
  private readonly resolver = new IntrinsicResolver(this);
  private readonly namings = new Map<string, ResourceNaming | undefined>();
  private readonly naming = new Set<string>();
  private readonly conditions = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();
  private readonly properties = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly stack: AssemblyStack,
    private readonly options: Required<Pick<CloudModelOptions, 'endpointUrl' | 'region' | 'accountId'>> & CloudModelOptions,
    private readonly exports: ReadonlyMap<string, unknown>,
    private readonly warnings: string[],
  ) {}

  get name(): string {
    return this.stack.stackName;
  }

  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warnings.push(message);
  }

  private resourceOf(logicalId: string): CfnResource | undefined {
    return this.stack.template.Resources?.[logicalId];
  }

  /** A resource exists when it is in the template and its Condition (if any) holds. */
  exists(logicalId: string, at: string): boolean {
    const resource = this.resourceOf(logicalId);
    if (!resource) return false;
    if (resource.Condition === undefined) return true;
    return this.condition(resource.Condition, at) === true;
  }

  private nameOf(logicalId: string, at: string): ResourceNaming | undefined {
    if (this.namings.has(logicalId)) return this.namings.get(logicalId);
    const resource = this.resourceOf(logicalId);
    if (!resource) return undefined;
    if (this.naming.has(logicalId)) {
      this.warn(`${this.name}/${logicalId}: its name depends on itself (at ${at})`);
      return undefined;
    }
    this.naming.add(logicalId);
    const context: NamingContext = {
      stack: this.name,
      logicalId,
      region: this.options.region,
      accountId: this.options.accountId,
      partition: PARTITION,
      endpointUrl: this.options.endpointUrl.replace(/\/+$/, ''),
      ...(this.options.localUrls?.has(`${this.name}/${logicalId}`) ? { localUrl: this.options.localUrls.get(`${this.name}/${logicalId}`) } : {}),
      prop: (property) => {
        const value = resource.Properties?.[property];
        if (value === undefined) return undefined;
        const resolved = this.resolver.resolve(value, `${this.name}/${logicalId}.Properties.${property}`);
        return resolved === NO_VALUE ? undefined : resolved;
      },
    };
    const naming = nameResource(resource.Type, context);
    this.naming.delete(logicalId);
    this.namings.set(logicalId, naming);
    return naming;
  }

  ref(name: string, at: string): unknown {
    switch (name) {
      case 'AWS::Region': return this.options.region;
      case 'AWS::AccountId': return this.options.accountId;
      case 'AWS::Partition': return PARTITION;
      case 'AWS::URLSuffix': return URL_SUFFIX;
      case 'AWS::StackName': return this.name;
      case 'AWS::StackId': return `arn:${PARTITION}:cloudformation:${this.options.region}:${this.options.accountId}:stack/${this.name}/00000000-0000-4000-a000-000000000000`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    if (name.startsWith('AWS::')) {
      this.warn(`Ref at ${at}: unknown pseudo parameter ${name}`);
      return undefined;
    }
    if (this.resourceOf(name)) {
      if (!this.exists(name, at)) {
        this.warn(`Ref at ${at}: resource ${this.name}/${name} is not created (its condition is false)`);
        return undefined;
      }
      return this.nameOf(name, at)?.physicalId;
    }
    const parameter = this.stack.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter, at);
    this.warn(`Ref at ${at}: no resource or parameter named ${name} in stack ${this.name}`);
    return undefined;
  }

  private parameter(name: string, parameter: { readonly Type?: string; readonly Default?: unknown }, at: string): unknown {
    const given = this.options.parameters?.[this.name]?.[name];
    if (given !== undefined) return given;
    if (parameter.Type?.startsWith('AWS::SSM::Parameter::Value')) {
      this.warn(`Ref at ${at}: parameter ${this.name}/${name} is read from SSM Parameter Store, which the local cloud does not have; pass its value`);
      return undefined;
    }
    if (parameter.Default !== undefined) {
      return parameter.Type === 'CommaDelimitedList' && typeof parameter.Default === 'string' ? parameter.Default.split(',') : parameter.Default;
    }
    this.warn(`Ref at ${at}: parameter ${this.name}/${name} has no default and no value was given`);
    return undefined;
  }

  getAtt(logicalId: string, attribute: string, at: string): unknown {
    const resource = this.resourceOf(logicalId);
    if (!resource) {
      this.warn(`Fn::GetAtt at ${at}: no resource named ${logicalId} in stack ${this.name}`);
      return undefined;
    }
    if (!this.exists(logicalId, at)) {
      this.warn(`Fn::GetAtt at ${at}: resource ${this.name}/${logicalId} is not created (its condition is false)`);
      return undefined;
    }
    const naming = this.nameOf(logicalId, at);
    if (!naming) return undefined;
    if (attribute === 'Arn' && naming.arn !== undefined) return naming.arn;
    if (Object.hasOwn(naming.attributes, attribute)) return naming.attributes[attribute];
    this.warn(`Fn::GetAtt at ${at}: attribute ${attribute} of ${resource.Type} ${this.name}/${logicalId} is not supported`);
    return undefined;
  }

  importValue(exportName: string, at: string): unknown {
    if (this.exports.has(exportName)) return this.exports.get(exportName);
    this.warn(`Fn::ImportValue at ${at}: no earlier stack exports ${exportName}`);
    return undefined;
  }

  condition(name: string, at: string): boolean | undefined {
    if (this.conditions.has(name)) return this.conditions.get(name);
    const definition = this.stack.template.Conditions?.[name];
    if (definition === undefined) {
      this.warn(`condition ${name} used at ${at} is not defined in stack ${this.name}`);
      return undefined;
    }
    if (this.evaluating.has(name)) {
      this.warn(`condition ${this.name}/${name} depends on itself`);
      return undefined;
    }
    this.evaluating.add(name);
    const value = this.resolver.evaluateCondition(definition, `${this.name}/Conditions.${name}`);
    this.evaluating.delete(name);
    this.conditions.set(name, value);
    return value;
  }

  findInMap(mapName: string, topKey: string, secondKey: string, at: string): unknown {
    const value = this.stack.template.Mappings?.[mapName]?.[topKey]?.[secondKey];
    if (value === undefined) this.warn(`Fn::FindInMap at ${at}: ${mapName}.${topKey}.${secondKey} is not in the template's Mappings`);
    return value;
  }

  propertiesOf(logicalId: string): Readonly<Record<string, unknown>> {
    const cached = this.properties.get(logicalId);
    if (cached) return cached;
    const raw = this.resourceOf(logicalId)?.Properties ?? {};
    const resolved = this.resolver.resolve(raw, `${this.name}/${logicalId}.Properties`);
    const properties = isRecord(resolved) ? resolved : {};
    this.properties.set(logicalId, properties);
    return properties;
  }

  resources(): TemplateResource[] {
    const out: TemplateResource[] = [];
    for (const [logicalId, resource] of Object.entries(this.stack.template.Resources ?? {})) {
      const at = `${this.name}/${logicalId}`;
      if (!this.exists(logicalId, at)) continue;
      const naming = this.nameOf(logicalId, at);
      const metadata = resource.Metadata ?? {};
      const assetPath = metadata['aws:asset:path'] ?? this.stagedAsset(logicalId);
      out.push({
        stack: this.name,
        logicalId,
        type: resource.Type,
        properties: this.propertiesOf(logicalId),
        physicalId: naming?.physicalId ?? logicalId,
        arn: naming?.arn,
        metadata,
        dependsOn: resource.DependsOn === undefined ? [] : typeof resource.DependsOn === 'string' ? [resource.DependsOn] : [...resource.DependsOn],
        assetPath: typeof assetPath === 'string'
          ? (isAbsolute(assetPath) ? assetPath : join(this.stack.assemblyDir, assetPath))
          : undefined,
      });
    }
    return out;
  }

  /** A function's bundle found through its Code.S3Key (`<asset hash>.zip`) in the asset manifests,
   *  for assemblies synthesized without asset metadata (an App synthesized in-process). */
  private stagedAsset(logicalId: string): string | undefined {
    const key = this.propertiesOf(logicalId)['Code'];
    const s3Key = typeof key === 'object' && key !== null ? (key as Record<string, unknown>)['S3Key'] : undefined;
    if (typeof s3Key !== 'string') return undefined;
    return this.stack.fileAssets?.get(s3Key.replace(/\.zip$/, ''));
  }

  outputs(exportsOut: Map<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [id, output] of Object.entries(this.stack.template.Outputs ?? {})) {
      const at = `${this.name}/Outputs.${id}`;
      if (output.Condition !== undefined && this.condition(output.Condition, at) !== true) continue;
      const value = this.resolver.resolve(output.Value, at);
      if (value === undefined || value === NO_VALUE) continue;
      out[id] = value;
      if (output.Export !== undefined) {
        const name = this.resolver.resolve(output.Export.Name, `${at}.Export.Name`);
        if (typeof name !== 'string') {
          this.warn(`${at}: export name does not resolve to a string`);
        } else if (exportsOut.has(name)) {
          this.warn(`${at}: export ${name} is already exported by another stack`);
        } else {
          exportsOut.set(name, value);
        }
      }
    }
    return out;
  }

  checkTemplate(): void {
    if (this.stack.template.Transform !== undefined) {
      this.warn(`stack ${this.name} uses Transform ${JSON.stringify(this.stack.template.Transform)}, which the local cloud does not expand`);
    }
    for (const [name, parameter] of Object.entries(this.stack.template.Parameters ?? {})) {
      if (name === CDK_BOOTSTRAP_PARAMETER) continue;
      if (parameter.Default === undefined && this.options.parameters?.[this.name]?.[name] === undefined) {
        this.warn(`parameter ${this.name}/${name} has no default and no value was given`);
      }
    }
  }
}

/**
 * Builds the CloudModel of stacks given in dependency order: every resource's intrinsics resolved,
 * physical ids and ARNs assigned, Outputs and exports resolved so later stacks can import them.
 * Problems (unsupported types or intrinsics, unknown names) are collected in `warnings`, each naming
 * the stack, resource and property concerned.
 */
export function buildCloudModel(stacks: readonly AssemblyStack[], options: CloudModelOptions): TemplateCloudModel {
  const settings = { region: 'us-east-1', accountId: '000000000000', ...options };
  const warnings: string[] = [];
  const exports = new Map<string, unknown>();
  const resources: TemplateResource[] = [];
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const stack of stacks) {
    const resolver = new StackResolver(stack, settings, exports, warnings);
    resolver.checkTemplate();
    resources.push(...resolver.resources());
    outputs[stack.stackName] = resolver.outputs(exports);
  }
  const index = new Map<string, TemplateResource>();
  for (const resource of resources) {
    if (resource.arn !== undefined && !index.has(resource.arn)) index.set(resource.arn, resource);
    if (!index.has(resource.physicalId)) index.set(resource.physicalId, resource);
  }
  return {
    region: settings.region,
    accountId: settings.accountId,
    resources,
    warnings,
    outputs,
    exports,
    byType: (type) => resources.filter((resource) => resource.type === type),
    find: (arnOrPhysicalId) => index.get(arnOrPhysicalId),
  };
}
