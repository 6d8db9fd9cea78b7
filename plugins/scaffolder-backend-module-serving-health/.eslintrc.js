module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // What `rhdh-cli plugin export` writes (scripts/export-dynamic-plugins.sh).
  ignorePatterns: ['dist-dynamic/'],
});
