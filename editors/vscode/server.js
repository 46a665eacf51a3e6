'use strict';
// How the extension starts `mmdsl lsp`, apart from VS Code so that node's test runner can check it
// (tests/client/server.test.js): the command and arguments from the settings, and what to tell
// the author when the server cannot be started.

const os = require('os');
const path = require('path');

const DEFAULT_PROGRAM = 'mmdsl';

/** A setting's text with a leading `~` and `${workspaceFolder}` expanded, as a shell would. */
function expand(value, workspaceFolder) {
  let text = String(value).trim();
  if (text === '~' || text.startsWith('~/')) {
    text = path.join(os.homedir(), text.slice(1));
  }
  if (workspaceFolder !== undefined) {
    text = text.split('${workspaceFolder}').join(workspaceFolder);
  }
  return text;
}

/**
 * The program and arguments that start the language server over stdio.
 * settings: { path, extraArgs, pause } as read from `mmdsl.server.*`; missing or empty values
 * fall back to `mmdsl` on the PATH, no extra arguments and the server's own pause.
 */
function serverCommand(settings, workspaceFolder) {
  const given = typeof settings.path === 'string' ? expand(settings.path, workspaceFolder) : '';
  const command = given === '' ? DEFAULT_PROGRAM : given;
  const extra = Array.isArray(settings.extraArgs) ? settings.extraArgs : [];
  const args = extra.map((arg) => expand(arg, workspaceFolder)).concat(['lsp']);
  if (typeof settings.pause === 'number' && Number.isFinite(settings.pause) && settings.pause >= 0) {
    args.push('--pause', String(settings.pause));
  }
  return { command, args };
}

/** The message shown when the server does not start: what was run, why, and how to fix it. */
function startFailure(command, args, error) {
  const reason = error && error.message ? error.message : String(error);
  const missing = error && error.code === 'ENOENT';
  const fix = missing || command === DEFAULT_PROGRAM
    ? `install mmdsl with its language server (pip install 'mmdsl[lsp]') or set "mmdsl.server.path" to the mmdsl program, for example the one in your project's .venv/bin`
    : `check the setting "mmdsl.server.path"; the command must run \`mmdsl lsp\``;
  return `The mmdsl language server could not be started (\`${[command].concat(args).join(' ')}\`): ${reason}. To fix it, ${fix}.`;
}

module.exports = { DEFAULT_PROGRAM, expand, serverCommand, startFailure };
