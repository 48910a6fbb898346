// Jest's SWC options: the build's .swcrc (one source of truth), without its exclusion of specs
// and with the path aliases left to Jest's moduleNameMapper.
const fs = require('node:fs');
const path = require('node:path');

const { exclude: _exclude, $schema: _schema, ...swcrc } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.swcrc'), 'utf8'));
const { baseUrl: _baseUrl, paths: _paths, ...jsc } = swcrc.jsc;

module.exports = { ...swcrc, jsc };
