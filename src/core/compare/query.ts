/**
 * The overview's filter language, in the spirit of MLflow's search syntax
 * (`metrics.f1_macro > 0.9 and params.maxDepth <= 5 and user = "amy"`) with what MLflow lacks:
 * `or`, `not`, parentheses, `in (…)`, and comparisons between two fields
 * (`metrics.accuracy > metrics.balanced_accuracy`). Errors name the offending token and its
 * position.
 */

export type Value = string | number | null;
export type Row = Readonly<Record<string, Value>>;

export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    /** Character offsets of the bad token in the query. */
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value: string | number;
  start: number;
  end: number;
}

const OPS = ['<=', '>=', '!=', '==', '=', '<', '>'];

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      out.push({
        kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma',
        text: c,
        value: c,
        start,
        end: ++i,
      });
      continue;
    }
    const op = OPS.find((o) => q.startsWith(o, i));
    if (op) {
      i += op.length;
      out.push({ kind: 'op', text: op, value: op === '==' ? '=' : op, start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\' && j + 1 < q.length) j++;
        s += q[j];
        j++;
      }
      if (j >= q.length)
        throw new QueryError(
          `The text starting at ${start + 1} has no closing ${c}.`,
          start,
          q.length,
        );
      i = j + 1;
      out.push({ kind: 'string', text: q.slice(start, i), value: s, start, end: i });
      continue;
    }
    const num = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(q.slice(i));
    if (num) {
      i += num[0].length;
      out.push({ kind: 'number', text: num[0], value: Number(num[0]), start, end: i });
      continue;
    }
    const ident = /^[A-Za-z_][\w]*(\.[\w]+)*/.exec(q.slice(i));
    if (ident) {
      i += ident[0].length;
      out.push({ kind: 'ident', text: ident[0], value: ident[0], start, end: i });
      continue;
    }
    throw new QueryError(
      `"${c}" at position ${start + 1} is not part of the filter language.`,
      start,
      start + 1,
    );
  }
  out.push({ kind: 'end', text: '', value: '', start: q.length, end: q.length });
  return out;
}

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'cmp'; op: string; left: Operand; right: Operand }
  | { kind: 'in'; operand: Operand; values: Value[]; negated: boolean };

export type Operand = { kind: 'field'; name: string } | { kind: 'literal'; value: Value };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'null']);

/**
 * Parses a query. `fields` are the names a query may use (an unknown one is an error that
 * lists close matches).
 */
export function parseQuery(q: string, fields: readonly string[]): Expr | null {
  if (q.trim() === '') return null;
  const tokens = tokenize(q);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const keyword = (t: Token, k: string): boolean =>
    t.kind === 'ident' && t.text.toLowerCase() === k;
  const fail = (t: Token, msg: string): never => {
    throw new QueryError(
      t.kind === 'end'
        ? `${msg}, but the filter ends there.`
        : `${msg}, not "${t.text}" (position ${t.start + 1}).`,
      t.start,
      Math.max(t.end, t.start + 1),
    );
  };

  const operand = (): Operand => {
    const t = peek();
    if (t.kind === 'number' || t.kind === 'string') {
      pos++;
      return { kind: 'literal', value: t.value };
    }
    if (keyword(t, 'null')) {
      pos++;
      return { kind: 'literal', value: null };
    }
    if (t.kind === 'ident' && !KEYWORDS.has(t.text.toLowerCase())) {
      pos++;
      if (!fields.includes(t.text)) {
        const near = fields
          .filter((f) => f.toLowerCase().includes(t.text.toLowerCase().split('.').at(-1)!))
          .slice(0, 4);
        throw new QueryError(
          `Unknown field "${t.text}" (position ${t.start + 1}).${near.length ? ` Did you mean ${near.join(', ')}?` : ''}`,
          t.start,
          t.end,
        );
      }
      return { kind: 'field', name: t.text };
    }
    return fail(t, 'Expected a field, a number or a quoted text');
  };

  const literalList = (): Value[] => {
    if (peek().kind !== 'lparen') fail(peek(), 'Expected "(" after "in"');
    pos++;
    const values: Value[] = [];
    for (;;) {
      const o = operand();
      if (o.kind !== 'literal')
        throw new QueryError(
          'A list after "in" holds numbers or quoted texts.',
          tokens[pos - 1]!.start,
          tokens[pos - 1]!.end,
        );
      values.push(o.value);
      const t = peek();
      if (t.kind === 'comma') {
        pos++;
        continue;
      }
      if (t.kind === 'rparen') {
        pos++;
        return values;
      }
      fail(t, 'Expected "," or ")" in the list');
    }
  };

  const comparison = (): Expr => {
    if (peek().kind === 'lparen') {
      pos++;
      const e = or();
      if (peek().kind !== 'rparen') fail(peek(), 'Expected ")"');
      pos++;
      return e;
    }
    const left = operand();
    const t = peek();
    if (keyword(t, 'in')) {
      pos++;
      return { kind: 'in', operand: left, values: literalList(), negated: false };
    }
    if (keyword(t, 'not') && keyword(tokens[pos + 1]!, 'in')) {
      pos += 2;
      return { kind: 'in', operand: left, values: literalList(), negated: true };
    }
    if (t.kind !== 'op') fail(t, 'Expected a comparison (=, !=, <, <=, >, >=) or "in"');
    pos++;
    return { kind: 'cmp', op: t.value as string, left, right: operand() };
  };

  const not = (): Expr => {
    if (keyword(peek(), 'not')) {
      pos++;
      return { kind: 'not', expr: not() };
    }
    return comparison();
  };

  const and = (): Expr => {
    let e = not();
    while (keyword(peek(), 'and')) {
      pos++;
      e = { kind: 'and', left: e, right: not() };
    }
    return e;
  };

  function or(): Expr {
    let e = and();
    while (keyword(peek(), 'or')) {
      pos++;
      e = { kind: 'or', left: e, right: and() };
    }
    return e;
  }

  const e = or();
  if (peek().kind !== 'end') fail(peek(), 'Expected "and", "or" or the end of the filter');
  return e;
}

function valueOf(o: Operand, row: Row): Value {
  return o.kind === 'literal' ? o.value : (row[o.name] ?? null);
}

function compare(op: string, a: Value, b: Value): boolean {
  if (a === null || b === null) return op === '!=' ? a !== b : op === '=' ? a === b : false;
  const numeric = typeof a === 'number' && typeof b === 'number';
  const x = numeric ? a : String(a).toLowerCase();
  const y = numeric ? b : String(b).toLowerCase();
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

export function evaluate(e: Expr | null, row: Row): boolean {
  if (e === null) return true;
  switch (e.kind) {
    case 'and':
      return evaluate(e.left, row) && evaluate(e.right, row);
    case 'or':
      return evaluate(e.left, row) || evaluate(e.right, row);
    case 'not':
      return !evaluate(e.expr, row);
    case 'cmp':
      return compare(e.op, valueOf(e.left, row), valueOf(e.right, row));
    case 'in': {
      const v = valueOf(e.operand, row);
      const found = e.values.some((x) => compare('=', v, x));
      return e.negated ? !found : found;
    }
  }
}
