// The functions as the Lambda API names them: by name, ARN or partial ARN, each with a qualifier
// ($LATEST, a version the templates publish with AWS::Lambda::Version, or an AWS::Lambda::Alias),
// resolved the way Lambda resolves the FunctionName and Qualifier of a request.
import { AwsError } from '../protocol/errors.ts';
import type { CloudResource } from '../core/types.ts';
import type { FunctionSource, LambdaFunctionConfig } from './functions.ts';

export const LATEST = '$LATEST';

export interface PublishedVersion {
  /** '1', '2', ... in template order. */
  readonly version: string;
  readonly description: string | undefined;
}

export interface FunctionAlias {
  readonly name: string;
  /** The version it points to ('$LATEST' or a number). */
  readonly functionVersion: string;
  readonly description: string | undefined;
}

export interface CatalogEntry {
  readonly config: LambdaFunctionConfig;
  readonly versions: readonly PublishedVersion[];
  readonly aliases: readonly FunctionAlias[];
}

/** A request's function, found. */
export interface ResolvedFunction {
  readonly entry: CatalogEntry;
  /** The qualifier asked for, if any ('$LATEST', a version or an alias name). */
  readonly qualifier: string | undefined;
  /** The version that runs: '$LATEST' or a number. */
  readonly executedVersion: string;
  /** The ARN IAM decides on and errors name: qualified when a qualifier was given. */
  readonly resourceArn: string;
}

/**
 * Lambda's pattern for FunctionName (API reference, Invoke): a name, a partial ARN
 * (`123456789012:function:name`) or a full ARN, each with an optional `:qualifier`; as documented,
 * with capture groups for the region, the account, the name and the qualifier.
 */
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;
/** The pattern as AWS's ValidationException quotes it. */
const DOCUMENTED_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]+)$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The function name in a FunctionName property: a name, an ARN (qualified or not) or a partial ARN. */
function nameIn(value: unknown): string | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  const parts = given.split(':');
  const at = parts.indexOf('function');
  return at >= 0 ? parts[at + 1] : parts[0];
}

/** A FunctionVersion property: '$LATEST', '1', or a version ARN (a Ref to an AWS::Lambda::Version). */
function versionIn(value: unknown): string | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  return given.split(':').at(-1);
}

export class FunctionCatalog {
  private readonly byName = new Map<string, CatalogEntry>();

  constructor(entries: readonly CatalogEntry[], private readonly region: string, private readonly accountId: string) {
    for (const entry of entries) this.byName.set(entry.config.name, entry);
  }

  /** The functions with the versions and aliases the templates declare; what cannot be used is in `warnings`. */
  static fromModel(model: FunctionSource, functions: readonly LambdaFunctionConfig[], region: string, accountId: string): { catalog: FunctionCatalog; warnings: string[] } {
    const warnings: string[] = [];
    const versions = new Map<string, PublishedVersion[]>();
    const aliases = new Map<string, FunctionAlias[]>();
    const known = new Set(functions.map((fn) => fn.name));
    const where = (resource: CloudResource): string => `${resource.stack}/${resource.logicalId}`;
    for (const resource of model.byType('AWS::Lambda::Version')) {
      const name = nameIn(resource.properties['FunctionName']);
      if (name === undefined || !known.has(name)) {
        warnings.push(`version ${where(resource)} is of a function that does not run locally (${String(name)}); it is not published`);
        continue;
      }
      const list = versions.get(name) ?? [];
      list.push({ version: String(list.length + 1), description: text(resource.properties['Description']) });
      versions.set(name, list);
      if (list.length === 2) warnings.push(`function ${name} publishes more than one AWS::Lambda::Version; they are numbered 1, 2, ... in template order, but a Ref or GetAtt Version of any of them gives 1`);
    }
    for (const resource of model.byType('AWS::Lambda::Alias')) {
      const name = nameIn(resource.properties['FunctionName']);
      const aliasName = text(resource.properties['Name']);
      const version = versionIn(resource.properties['FunctionVersion']);
      if (name === undefined || !known.has(name) || aliasName === undefined || version === undefined) {
        warnings.push(`alias ${where(resource)} names no function that runs locally, or has no Name or FunctionVersion; it is not created`);
        continue;
      }
      if (version !== LATEST && !(versions.get(name) ?? []).some((published) => published.version === version)) {
        warnings.push(`alias ${where(resource)} points to version ${version} of ${name}, which the templates do not publish; it is not created`);
        continue;
      }
      if (resource.properties['RoutingConfig'] !== undefined) warnings.push(`alias ${where(resource)}: RoutingConfig (weighted versions) is ignored; every invocation runs version ${version}`);
      aliases.set(name, [...(aliases.get(name) ?? []), { name: aliasName, functionVersion: version, description: text(resource.properties['Description']) }]);
    }
    const entries = functions.map((config) => ({ config, versions: versions.get(config.name) ?? [], aliases: aliases.get(config.name) ?? [] }));
    return { catalog: new FunctionCatalog(entries, region, accountId), warnings };
  }

  /** Every function, by name. */
  entries(): CatalogEntry[] {
    return [...this.byName.values()].sort((a, b) => a.config.name.localeCompare(b.config.name));
  }

  /**
   * The function a request names, as Lambda reads FunctionName and Qualifier. A malformed name is
   * refused at once (ValidationException); an unknown one is `missing`, refused after IAM has
   * decided on its ARN, as AWS answers AccessDenied before it says whether a function exists.
   */
  locate(functionName: string, qualifierParameter: string | undefined, maxLength = 170): LocatedFunction {
    const match = functionName.length <= maxLength ? FUNCTION_NAME.exec(functionName) : null;
    if (!match) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${functionName.slice(0, 200)}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${DOCUMENTED_PATTERN} and have length at most ${maxLength}`);
    }
    if (qualifierParameter !== undefined && !QUALIFIER.test(qualifierParameter)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${qualifierParameter.slice(0, 200)}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`);
    }
    const [, region, account = this.accountId, name = '', derived] = match;
    if (derived !== undefined && qualifierParameter !== undefined && derived !== qualifierParameter) {
      throw new AwsError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    const qualifier = derived ?? qualifierParameter;
    const unqualifiedArn = `arn:aws:lambda:${region ?? this.region}:${account}:function:${name}`;
    const resourceArn = qualifier === undefined ? unqualifiedArn : `${unqualifiedArn}:${qualifier}`;
    const missing = { resourceArn, missing: new AwsError('ResourceNotFoundException', `Function not found: ${resourceArn}`, { status: 404 }) };
    const entry = this.byName.get(name);
    if (!entry || account !== this.accountId || (region !== undefined && region !== this.region)) return missing;
    const found = (executedVersion: string): LocatedFunction => ({ resourceArn, found: { entry, qualifier, executedVersion, resourceArn } });
    if (qualifier === undefined || qualifier === LATEST) return found(LATEST);
    if (entry.versions.some((published) => published.version === qualifier)) return found(qualifier);
    const alias = entry.aliases.find((candidate) => candidate.name === qualifier);
    return alias ? found(alias.functionVersion) : missing;
  }
}

/** Where a request points: the ARN IAM decides on, and the function or why there is none. */
export type LocatedFunction =
  | { readonly resourceArn: string; readonly found: ResolvedFunction; readonly missing?: undefined }
  | { readonly resourceArn: string; readonly found?: undefined; readonly missing: AwsError };

/** The function, or its ResourceNotFoundException. */
export function foundOrThrow(located: LocatedFunction): ResolvedFunction {
  if (located.found) return located.found;
  throw located.missing;
}
