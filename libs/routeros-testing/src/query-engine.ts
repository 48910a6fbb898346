/** The API's query words (`?name=x`, `?>n`, `?-f`, `?#|!`) evaluated against one row. */

type Row = Record<string, string>;

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The API query stack (docs/routeros.md): starts as "infinite true", every element must hold. */
export function matchesQuery(row: Row, queries: readonly string[]): boolean {
  const stack: boolean[] = [];
  const pop = () => (stack.length ? stack.pop()! : true);
  for (const q of queries) {
    const body = q.slice(1);
    if (body.startsWith('#')) {
      const ops = body.slice(1);
      for (let i = 0; i < ops.length; i++) {
        const c = ops[i];
        if (c === '!') stack.push(!pop());
        else if (c === '&') {
          const x = pop();
          const y = pop();
          stack.push(x && y);
        } else if (c === '|') {
          const x = pop();
          const y = pop();
          stack.push(x || y);
        } else if (c === '.') {
          const x = pop();
          stack.push(x, x);
        } else if (/\d/.test(c)) {
          let j = i;
          while (j + 1 < ops.length && /\d/.test(ops[j + 1])) j++;
          const idx = Number(ops.slice(i, j + 1));
          const v = stack[idx] ?? true;
          if (j === ops.length - 1) stack.splice(0, stack.length, v); // index at the end replaces the stack
          else stack.push(v);
          i = j;
        }
      }
      continue;
    }
    if (body.startsWith('-')) {
      stack.push(row[body.slice(1)] === undefined);
      continue;
    }
    const op = body[0] === '<' || body[0] === '>' ? body[0] : '=';
    const rest = op === '=' ? body : body.slice(1);
    const eq = rest.indexOf('=');
    if (eq < 0) {
      stack.push(row[rest] !== undefined);
      continue;
    }
    const key = rest.slice(0, eq);
    const value = rest.slice(eq + 1);
    const actual = row[key];
    if (op === '=') stack.push((actual ?? '') === value);
    else if (actual === undefined) stack.push(false);
    else stack.push(op === '<' ? compare(actual, value) < 0 : compare(actual, value) > 0);
  }
  return stack.every(Boolean);
}
