'use strict';
// The command the extension runs: `mmdsl lsp` by default, the configured program otherwise.

const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('os');
const path = require('path');
const { serverCommand, startFailure } = require('../../server');

test('by default it runs mmdsl lsp from the PATH', () => {
  assert.deepEqual(serverCommand({}, undefined), { command: 'mmdsl', args: ['lsp'] });
  assert.deepEqual(serverCommand({ path: '  ', extraArgs: [] }, '/w'), { command: 'mmdsl', args: ['lsp'] });
});

test('the configured program, with ~ and ${workspaceFolder} expanded', () => {
  assert.deepEqual(serverCommand({ path: '${workspaceFolder}/.venv/bin/mmdsl' }, '/home/a/project'),
    { command: '/home/a/project/.venv/bin/mmdsl', args: ['lsp'] });
  assert.equal(serverCommand({ path: '~/bin/mmdsl' }, undefined).command,
    path.join(os.homedir(), 'bin/mmdsl'));
});

test('extra arguments come before lsp, and the pause after it', () => {
  assert.deepEqual(
    serverCommand({ path: 'python3', extraArgs: ['-m', 'mmdsl'], pause: 1.5 }, undefined),
    { command: 'python3', args: ['-m', 'mmdsl', 'lsp', '--pause', '1.5'] });
  assert.deepEqual(serverCommand({ pause: 0 }, undefined).args, ['lsp', '--pause', '0']);
  assert.deepEqual(serverCommand({ pause: -1 }, undefined).args, ['lsp']);
});

test('a server that cannot start is explained with the command and the fix', () => {
  const missing = Object.assign(new Error('spawn mmdsl ENOENT'), { code: 'ENOENT' });
  const message = startFailure('mmdsl', ['lsp'], missing);
  assert.match(message, /`mmdsl lsp`/);
  assert.match(message, /spawn mmdsl ENOENT/);
  assert.match(message, /pip install 'mmdsl\[lsp\]'/);
  assert.match(message, /mmdsl\.server\.path/);
  const other = startFailure('/opt/tool', ['lsp'], new Error('exited with code 2'));
  assert.match(other, /check the setting "mmdsl.server.path"/);
});
