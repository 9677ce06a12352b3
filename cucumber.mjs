// Cucumber's default configuration, for `npx cucumber-js` run on the TypeScript sources (with
// NODE_OPTIONS='--import tsx') against the reference model in process. The CLI does not read it
// (it configures Cucumber itself, from dist/); Stryker's cucumber runner does (stryker.cucumber.config.mjs).
export default {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
};
