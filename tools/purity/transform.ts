/**
 * Integer-purity instrumentation (SPEC 1, docs/integer-purity.md).
 *
 * Rewrites a TypeScript source of `src/` so that every arithmetic result that
 * XS could turn into a double goes through a checker from
 * `tools/purity/runtime.ts`:
 *
 * | source                                  | becomes                          |
 * |-----------------------------------------|----------------------------------|
 * | `a + b`, `-`, `*`, `%`, `>>>`           | `__mtk_i32(a + b, "site")`       |
 * | `a += b`, `-=`, `*=`, `%=`, `>>>=`      | `__mtk_i32(a += b, "site")`      |
 * | `-x`, `+x`, `++x`, `--x`                | `__mtk_i32(-x, "site")`          |
 * | `x++`, `x--`                            | `__mtk_inc(x++, "site")` / `dec` |
 * | `a / b`, `a ** b`, `/=`, `**=`          | `__mtk_div(a / b, "site")`       |
 * | `Math.abs(x)` (any `Math.*` call but     | `__mtk_i32(Math.abs(x), "site")` |
 * |   `imul`, `clz32`)                      |                                  |
 * | a numeric literal that is not an int32  | `__mtk_i32(4294967296, "site")`  |
 *
 * `__mtk_i32` throws unless the value is an int32 other than -0 (strings pass:
 * `+` also concatenates); `__mtk_div` always throws, since XS computes `/` and
 * `**` in floating point whatever the operands. `| & ^ << >> ~` always give an
 * int32 and are left alone; so are negative int32 literals such as `-1`.
 *
 * "site" is `file:line:col|source text`, the position of the operator (of the
 * expression start for unary operators, calls and literals) in the original
 * source, 1-based, so the error names the exact place.
 *
 * The output is JavaScript (types erased by `ts.transpileModule`) with a
 * source map. With `runtimeImport` set, it starts with an import of the
 * checkers and a call that registers the file as instrumented; without it the
 * checkers are free identifiers (`CHECKER_NAMES`) the caller provides, which
 * is how the tests evaluate fixture sources.
 */
import ts from 'typescript';

/** The identifiers the instrumented code calls. */
export const CHECKER_NAMES = ['__mtk_i32', '__mtk_inc', '__mtk_dec', '__mtk_div', '__mtk_register'] as const;
export type CheckerName = (typeof CHECKER_NAMES)[number];

export interface InstrumentOptions {
  /**
   * Module specifier of tools/purity/runtime.ts as seen from the file. When
   * absent, no import or registration is emitted.
   */
  runtimeImport?: string;
  /** Path used for the source map (default: `file`). */
  sourceFileName?: string;
}

export interface InstrumentResult {
  /** JavaScript with checks inserted. */
  code: string;
  /** Source map (JSON) from `code` back to the original source. */
  map: string | undefined;
  /** Number of checked sites inserted. */
  sites: number;
  /** Literals that are not int32 (each also wrapped so that it throws when evaluated). */
  badLiterals: string[];
}

const I32_BINARY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
]);
const DOUBLE_BINARY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
]);
/** `Math` functions whose result is always an int32. */
const MATH_INT32 = new Set(['imul', 'clz32']);

const isInt32 = (v: number): boolean => (v | 0) === v && !Object.is(v, -0);

/** Source text for a message: one line, at most 60 characters. */
function snippet(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** True when a numeric literal is a property or member name, not a value. */
function isNameUse(node: ts.Node): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  return parent !== undefined && (parent.name === node || parent.propertyName === node);
}

/** Type-only subtrees hold no run-time arithmetic (class heritage expressions excepted). */
function isTypeOnly(node: ts.Node): boolean {
  if (ts.isExpressionWithTypeArguments(node)) return false;
  return (
    ts.isTypeNode(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    (ts.canHaveModifiers(node) &&
      (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword))
  );
}

/**
 * Instruments one source file. `file` is the name used in messages, relative
 * to the project root with forward slashes (`src/fixed/mul.ts`).
 */
export function instrument(source: string, file: string, options: InstrumentOptions = {}): InstrumentResult {
  let sites = 0;
  const badLiterals: string[] = [];

  const transformer: ts.TransformerFactory<ts.SourceFile> = (ctx) => (sf) => {
    const f = ctx.factory;
    const site = (pos: number, node: ts.Node): string => {
      const { line, character } = sf.getLineAndCharacterOfPosition(pos);
      return `${file}:${line + 1}:${character + 1}|${snippet(node, sf)}`;
    };
    const wrap = (fn: CheckerName, expr: ts.Expression, where: string): ts.Expression => {
      sites++;
      return f.createCallExpression(f.createIdentifier(fn), undefined, [expr, f.createStringLiteral(where)]);
    };

    const visit = (node: ts.Node): ts.Node => {
      if (isTypeOnly(node)) return node;

      if (ts.isBinaryExpression(node)) {
        const op = node.operatorToken.kind;
        const fn: CheckerName | undefined = I32_BINARY.has(op) ? '__mtk_i32' : DOUBLE_BINARY.has(op) ? '__mtk_div' : undefined;
        if (fn) {
          const where = site(node.operatorToken.getStart(sf), node);
          return wrap(fn, ts.visitEachChild(node, visit, ctx), where);
        }
      } else if (ts.isPrefixUnaryExpression(node)) {
        const op = node.operator;
        if (op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.PlusToken) {
          const operand = node.operand;
          // `-5`, `+5`: a non-zero int32 literal cannot give -0 or overflow.
          if (ts.isNumericLiteral(operand) && isInt32(Number(operand.text)) && Number(operand.text) !== 0) return node;
          const where = site(node.getStart(sf), node);
          return wrap('__mtk_i32', ts.visitEachChild(node, visit, ctx) as ts.Expression, where);
        }
        if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) {
          const where = site(node.getStart(sf), node);
          return wrap('__mtk_i32', ts.visitEachChild(node, visit, ctx) as ts.Expression, where);
        }
      } else if (ts.isPostfixUnaryExpression(node)) {
        // The expression yields the old value; the checker checks old +/- 1.
        const where = site(node.operand.getEnd(), node);
        const fn = node.operator === ts.SyntaxKind.PlusPlusToken ? '__mtk_inc' : '__mtk_dec';
        return wrap(fn, ts.visitEachChild(node, visit, ctx) as ts.Expression, where);
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'Math' &&
          !MATH_INT32.has(callee.name.text)
        ) {
          const where = site(node.getStart(sf), node);
          return wrap('__mtk_i32', ts.visitEachChild(node, visit, ctx) as ts.Expression, where);
        }
      } else if (ts.isNumericLiteral(node)) {
        if (!isInt32(Number(node.text)) && !isNameUse(node)) {
          const where = site(node.getStart(sf), node);
          badLiterals.push(where.replace('|', ': '));
          return wrap('__mtk_i32', node, where);
        }
        return node;
      }
      return ts.visitEachChild(node, visit, ctx);
    };
    return ts.visitEachChild(sf, visit, ctx);
  };

  const out = ts.transpileModule(source, {
    fileName: options.sourceFileName ?? file,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      useDefineForClassFields: true,
      sourceMap: true,
      inlineSources: true,
      removeComments: false,
    },
    reportDiagnostics: false,
    transformers: { before: [transformer] },
  });

  let code = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  if (options.runtimeImport !== undefined) {
    // Prepended on line 1 so the source map's lines still match.
    const names = CHECKER_NAMES.join(', ');
    code =
      `import { ${names} } from ${JSON.stringify(options.runtimeImport)}; ` +
      `__mtk_register(${JSON.stringify(file)}, ${sites}); ` +
      code;
  }
  return { code, map: out.sourceMapText, sites, badLiterals };
}
