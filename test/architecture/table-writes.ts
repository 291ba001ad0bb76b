import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One write to a table found in the API's source. */
export interface TableWrite {
  /** The folder under apps/api/src the file is in (`root` for a file directly in it). */
  module: string;
  /** `file:line`, relative to apps/api/src. */
  where: string;
  table: string;
  /** The columns an SQL UPDATE sets; null for inserts, deletes and TypeORM writes. */
  columns: string[] | null;
  how: string;
}

export interface Ownership {
  tables: Record<string, string>;
  columns: Record<string, string>;
}

/** Repository and EntityManager methods that write. */
const TYPEORM_WRITES = new Set([
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'recover',
  'increment',
  'decrement',
  'clear',
]);
/** Columns every writer of a row refreshes; they follow the other columns set. */
const BOOKKEEPING_COLUMNS = new Set(['updated_time']);

/** The API's source files that are not specs, outside the exempt wiring (database/). */
export function apiSourceFiles(srcRoot: string): string[] {
  return readdirSync(srcRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .filter((file) => !file.startsWith(`database${path.sep}`))
    .map((file) => path.join(srcRoot, file));
}

/**
 * Every write to a table in `files` (paths under `srcRoot`): SQL in string and template
 * literals (INSERT INTO, UPDATE ... SET, DELETE FROM) and TypeORM writes, whose entity is
 * found by the type checker (a Repository<E>'s E, or an EntityManager call's entity class or
 * instance). `virtualFiles` adds files that exist only in memory (the spec's deliberate
 * violations).
 */
export function findTableWrites(
  srcRoot: string,
  files: string[],
  virtualFiles: Record<string, string> = {},
): TableWrite[] {
  const program = createProgram(srcRoot, [...files, ...Object.keys(virtualFiles)], virtualFiles);
  const checker = program.getTypeChecker();
  const sources = [...files, ...Object.keys(virtualFiles)].map((file) => {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`not in the program: ${file}`);
    return source;
  });
  const tables = entityTables(program);
  const writes: TableWrite[] = [];

  for (const source of sources) {
    const relative = path.relative(srcRoot, source.fileName);
    const module = relative.includes(path.sep) ? relative.split(path.sep)[0] : 'root';
    const at = (node: ts.Node) =>
      `${relative}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;

    const visit = (node: ts.Node): void => {
      const text = literalText(node);
      if (text !== undefined) {
        for (const write of sqlWrites(text)) writes.push({ module, where: at(node), ...write });
      }
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        TYPEORM_WRITES.has(node.expression.name.text)
      ) {
        const entity = writtenEntity(checker, node.expression.expression, node.arguments[0]);
        if (entity !== undefined) {
          writes.push({
            module,
            where: at(node),
            table: tables.get(entity) ?? `(entity ${entity})`,
            columns: null,
            how: `TypeORM ${node.expression.name.text} of ${entity}`,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return writes;
}

/** The writes a module may not make under `ownership`, each as one readable line. */
export function violations(writes: TableWrite[], ownership: Ownership): string[] {
  return writes.flatMap((write) => {
    const owner = ownership.tables[write.table];
    if (owner === undefined) {
      return [`${write.where}: ${write.how} writes ${write.table}, which has no owner`];
    }
    const columns = (write.columns ?? []).filter((column) => !BOOKKEEPING_COLUMNS.has(column));
    const owners =
      write.columns === null || columns.length === 0
        ? [owner]
        : columns.map((column) => ownership.columns[`${write.table}.${column}`] ?? owner);
    const foreign = [...new Set(owners.filter((who) => who !== write.module))];
    return foreign.length === 0
      ? []
      : [
          `${write.where}: ${write.module} ${write.how}, but ${write.table}${
            write.columns ? ` (${columns.join(', ')})` : ''
          } is written by ${foreign.join(', ')}`,
        ];
  });
}

/** INSERT INTO t, UPDATE t [AS x] SET cols, DELETE FROM t in one piece of SQL. */
export function sqlWrites(sql: string): Array<Omit<TableWrite, 'module' | 'where'>> {
  const found: Array<Omit<TableWrite, 'module' | 'where'>> = [];
  for (const match of sql.matchAll(/\bINSERT\s+INTO\s+"?(\w+)"?/g)) {
    found.push({ table: match[1], columns: null, how: `INSERT INTO ${match[1]}` });
  }
  for (const match of sql.matchAll(/\bDELETE\s+FROM\s+"?(\w+)"?/g)) {
    found.push({ table: match[1], columns: null, how: `DELETE FROM ${match[1]}` });
  }
  const update =
    /(?<!FOR\s+)(?<!DO\s+)\bUPDATE\s+"?(\w+)"?(?:\s+(?:AS\s+)?(?!SET\b)\w+)?\s+SET\s+([\s\S]*?)(?=\bWHERE\b|\bFROM\b|\bRETURNING\b|$)/g;
  for (const match of sql.matchAll(update)) {
    const columns = [...match[2].matchAll(/(?:^|,)\s*"?(\w+)"?\s*=/g)].map((set) => set[1]);
    found.push({ table: match[1], columns, how: `UPDATE ${match[1]} SET ${columns.join(', ')}` });
  }
  return found;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((span) => ` $x ${span.literal.text}`).join('');
  }
  return undefined;
}

/** The entity a Repository / EntityManager write call writes, or undefined for other calls. */
function writtenEntity(
  checker: ts.TypeChecker,
  receiver: ts.Expression,
  firstArgument: ts.Expression | undefined,
): string | undefined {
  const type = checker.getTypeAtLocation(receiver);
  const kind = type.getSymbol()?.getName();
  if (kind === 'Repository' || kind === 'TreeRepository') {
    const [entity] = checker.getTypeArguments(type as ts.TypeReference);
    return entity?.getSymbol()?.getName() ?? '?';
  }
  if (kind === 'EntityManager') {
    if (!firstArgument) return '?';
    let argument = checker.getTypeAtLocation(firstArgument);
    if (checker.isArrayType(argument))
      [argument] = checker.getTypeArguments(argument as ts.TypeReference);
    return argument.getSymbol()?.getName() ?? '?';
  }
  return undefined;
}

/** Entity class name -> table, from every `@Entity('table') class X` in the program. */
function entityTables(program: ts.Program): Map<string, string> {
  const tables = new Map<string, string>();
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || source.fileName.includes('node_modules')) continue;
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const decorator of ts.getDecorators(node) ?? []) {
        const call = decorator.expression;
        if (
          ts.isCallExpression(call) &&
          ts.isIdentifier(call.expression) &&
          call.expression.text === 'Entity' &&
          call.arguments[0] &&
          ts.isStringLiteral(call.arguments[0])
        ) {
          tables.set(node.name.text, call.arguments[0].text);
        }
      }
    });
  }
  return tables;
}

function createProgram(
  srcRoot: string,
  rootNames: string[],
  virtualFiles: Record<string, string>,
): ts.Program {
  const configPath = ts.findConfigFile(srcRoot, ts.sys.fileExists, 'tsconfig.json');
  if (!configPath) throw new Error('no tsconfig.json above the API source');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile) as { config: unknown };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => file in virtualFiles || fileExists.call(host, file);
  host.readFile = (file) => virtualFiles[file] ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, shouldCreate) =>
    file in virtualFiles
      ? ts.createSourceFile(file, virtualFiles[file], language, true)
      : getSourceFile.call(host, file, language, onError, shouldCreate);
  return ts.createProgram({ rootNames, options: { ...options, noEmit: true }, host });
}
