// Evaluates DMN decisions with feelin (a third-party FEEL engine, from the npm registry) for the
// test tests/dmn/test_feelin.py, which reads the DMN file with the standard library and sends
// the decisions here as JSON on standard input:
//   {"decisions": [{"name", "kind": "literal", "text"} |
//                  {"name", "kind": "table", "hit", "aggregation", "inputs": [FEEL],
//                   "outputs": [name], "outputValues": [FEEL or null],
//                   "rules": [{"inputs": [unary tests], "outputs": [FEEL]}]}],
//    "patients": [{input name: value}], "dates": [names of the date inputs, given as text],
//    "moments": [names of the date-and-time inputs, given as text],
//    "clocks": [names of the time-of-day inputs, given as text]}
// and prints for each model one object per patient: decision name -> its DMN value, with DMN's
// hit policies
// applied here (as the DMN 1.5 specification states them), so that mmdsl has no part in it.
import { evaluate, unaryTest } from 'feelin';

const read = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const value = (text, context) => evaluate(text, context).value;

const tableValue = (table, context) => {
  const inputs = table.inputs.map((text) => value(text, context));
  const ranks = table.outputValues.map((text) => (text === null ? null : value(`[${text}]`, {})));
  const matched = [];
  table.rules.forEach((rule, index) => {
    const applies = rule.inputs.every((test, column) =>
      unaryTest(test, { ...context, '?': inputs[column] }).value === true);
    if (applies) {
      matched.push({ index, outputs: rule.outputs.map((text) => value(text, context)) });
    }
  });
  const shaped = (match) => (table.outputs.length === 1 ? match.outputs[0]
    : Object.fromEntries(table.outputs.map((name, i) => [name, match.outputs[i]])));
  const rank = (match) => match.outputs.map((output, i) =>
    (ranks[i] === null ? 0 : ranks[i].indexOf(output)));
  const byRank = (a, b) => {
    const ra = rank(a), rb = rank(b);
    for (let i = 0; i < ra.length; i += 1) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return a.index - b.index;
  };
  const same = (a, b) => JSON.stringify(a.outputs) === JSON.stringify(b.outputs);
  switch (table.hit) {
    case 'UNIQUE':
      return matched.length === 1 ? shaped(matched[0]) : null;
    case 'ANY':
      return matched.length > 0 && matched.every((m) => same(m, matched[0]))
        ? shaped(matched[0]) : null;
    case 'FIRST':
      return matched.length ? shaped(matched[0]) : null;
    case 'PRIORITY':
      return matched.length ? shaped([...matched].sort(byRank)[0]) : null;
    case 'OUTPUT ORDER':
      return [...matched].sort(byRank).map(shaped);
    case 'RULE ORDER':
      return matched.map(shaped);
    case 'COLLECT': {
      const values = matched.map(shaped);
      switch (table.aggregation) {
        case 'COUNT': return values.length;
        case 'SUM': return values.length ? values.reduce((a, b) => a + b, 0) : null;
        case 'MIN': return values.length ? Math.min(...values) : null;
        case 'MAX': return values.length ? Math.max(...values) : null;
        default: return values;
      }
    }
    default:
      throw new Error(`unknown hit policy ${table.hit}`);
  }
};

const decide = ({ decisions, patients, dates = [], moments = [], clocks = [] }) =>
  patients.map((patient) => {
    const context = { ...patient };
    for (const name of dates) context[name] = value('date(text)', { text: patient[name] });
    for (const name of moments) {
      context[name] = value('date and time(text)', { text: patient[name] });
    }
    for (const name of clocks) context[name] = value('time(text)', { text: patient[name] });
    const result = {};
    for (const decision of decisions) {
      const decided = decision.kind === 'literal' ? value(decision.text, context)
        : tableValue(decision, context);
      context[decision.name] = decided;
      result[decision.name] = decided === undefined ? null : decided;
    }
    return result;
  });

const main = async () => {
  const models = await read();
  process.stdout.write(JSON.stringify(models.map(decide)));
};

main().catch((error) => { process.stderr.write(`${error.stack}\n`); process.exit(1); });
