/**
 * Static guard for the core (SPEC 1): what `src/` may not use, found on the
 * TypeScript syntax tree (so comments and strings never match).
 *
 * - `Math.sin/cos/.../random/fround` (engine-defined precision), also reached
 *   through an alias, destructuring, a computed key or `globalThis.Math`;
 * - `Date`, `BigInt` (and bigint literals, the `bigint` type, BigInt arrays),
 *   `Float16/32/64Array`, `eval`, `new Function` / `Function(...)`;
 * - numeric literals that are not int32 (above 0x7FFFFFFF, fractional): XS
 *   stores them as doubles;
 * - imports (static, dynamic, `require`, `import type`, re-exports) of
 *   anything outside `src/`: no `node:` modules, no packages.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Violation {
  /** `file:line:col`, 1-based. */
  where: string;
  message: string;
}

export const FORBIDDEN_MATH = new Set([
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'pow', 'sqrt', 'cbrt', 'hypot', 'random', 'fround',
]);

const FORBIDDEN_GLOBALS: Record<string, string> = {
  Date: 'Date is forbidden in the core (not deterministic)',
  BigInt: 'BigInt is forbidden in the core',
  BigInt64Array: 'BigInt arrays are forbidden in the core',
  BigUint64Array: 'BigInt arrays are forbidden in the core',
  Float16Array: 'float typed arrays are forbidden in the core',
  Float32Array: 'float typed arrays are forbidden in the core',
  Float64Array: 'float typed arrays are forbidden in the core',
  eval: 'eval is forbidden in the core',
};
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

const isInt32 = (v: number): boolean => (v | 0) === v && !Object.is(v, -0);

/** A node used as a property or member name (`x.Date`, `{ Date: 1 }`), not a reference. */
function isNameUse(node: ts.Node): boolean {
  const p = node.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) return (p as { name: ts.Node }).name === node;
  if (ts.isShorthandPropertyAssignment(p)) return false; // `{ Date }` reads Date
  return p.name === node || p.propertyName === node;
}

/** Inside a type (annotation, alias, interface)? */
function inType(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isExpressionWithTypeArguments(n) && n.parent && ts.isHeritageClause(n.parent) && n.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(n.parent.parent)) return false;
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return true;
    if (ts.isStatement(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

/**
 * Checks one source. `file` is the absolute path (to resolve relative
 * imports), `name` what messages call it, `srcRoot` the directory imports must
 * stay in.
 */
export function scanSource(source: string, file: string, srcRoot: string, name = file): Violation[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Violation[] = [];
  const report = (node: ts.Node, message: string): void => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ where: `${name}:${line + 1}:${character + 1}`, message });
  };
  const root = path.resolve(srcRoot) + path.sep;
  const checkSpecifier = (node: ts.Node, spec: ts.Expression | undefined): void => {
    if (!spec) return;
    if (!ts.isStringLiteralLike(spec)) {
      report(node, 'import with a computed specifier');
      return;
    }
    const s = spec.text;
    if (!s.startsWith('./') && !s.startsWith('../')) {
      report(node, `import of '${s}': the core may import only files inside src/`);
      return;
    }
    const target = path.resolve(path.dirname(file), s);
    if (!target.startsWith(root)) report(node, `import of '${s}' leaves src/`);
  };

  const visit = (node: ts.Node): void => {
    // Imports.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkSpecifier(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      checkSpecifier(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node, node.arguments[0]);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') checkSpecifier(node, node.arguments[0]);
      if (ts.isIdentifier(node.expression) && node.expression.text === 'Function') report(node, 'Function(...) is forbidden in the core');
    } else if (ts.isNewExpression(node)) {
      if (ts.isIdentifier(node.expression) && node.expression.text === 'Function') report(node, 'new Function is forbidden in the core');
    }

    // Literals.
    if (node.kind === ts.SyntaxKind.BigIntLiteral) report(node, `bigint literal ${node.getText(sf)} is forbidden in the core`);
    if (node.kind === ts.SyntaxKind.BigIntKeyword) report(node, 'the bigint type is forbidden in the core');
    if (ts.isNumericLiteral(node) && !isInt32(Number(node.text)) && !isNameUse(node) && !inType(node)) {
      report(node, `literal ${node.getText(sf)} is not an int32 (XS stores it as a double); write 32-bit constants in signed form`);
    }

    // Math.
    if (ts.isIdentifier(node) && node.text === 'Math' && !isNameUse(node)) checkMath(node, node);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && GLOBAL_OBJECTS.has(node.expression.text)) {
      const prop = node.name.text;
      if (prop === 'Math') checkMath(node, node);
      else if (prop in FORBIDDEN_GLOBALS) report(node, FORBIDDEN_GLOBALS[prop]!);
      else if (prop === 'Function') report(node, 'Function is forbidden in the core');
    }

    // Other globals.
    if (ts.isIdentifier(node) && Object.prototype.hasOwnProperty.call(FORBIDDEN_GLOBALS, node.text) && !isNameUse(node)) {
      report(node, FORBIDDEN_GLOBALS[node.text]!);
    }

    ts.forEachChild(node, visit);
  };

  /** `m` evaluates to the Math object: only `Math.<allowed>` is accepted. */
  const checkMath = (m: ts.Node, at: ts.Node): void => {
    if (inType(m)) return;
    const p = m.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === m) {
      if (FORBIDDEN_MATH.has(p.name.text)) report(at, `Math.${p.name.text} is forbidden in the core (precision is engine-defined)`);
      return;
    }
    if (ts.isElementAccessExpression(p) && p.expression === m && ts.isStringLiteralLike(p.argumentExpression)) {
      const k = p.argumentExpression.text;
      if (FORBIDDEN_MATH.has(k)) report(at, `Math.${k} is forbidden in the core (precision is engine-defined)`);
      return;
    }
    if (ts.isTypeOfExpression(p)) return;
    report(at, 'Math used other than as Math.<name>: forbidden functions could be reached through it');
  };

  visit(sf);
  return out;
}

/** All `.ts` files under `dir`, sorted. */
export function listSources(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && (e.name.endsWith('.ts') || e.name.endsWith('.js') || e.name.endsWith('.mts'))) files.push(p);
    }
  };
  walk(dir);
  return files.sort();
}

/** Scans every source under `srcRoot`; names are relative to `projectRoot`. */
export function scanTree(srcRoot: string, projectRoot: string): { files: string[]; violations: Violation[] } {
  const files = listSources(srcRoot);
  const violations: Violation[] = [];
  const rel = (f: string): string => path.relative(projectRoot, f).split(path.sep).join('/');
  for (const f of files) violations.push(...scanSource(fs.readFileSync(f, 'utf8'), f, srcRoot, rel(f)));
  return { files: files.map(rel), violations };
}
