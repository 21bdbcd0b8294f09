// Runs in headless Chromium (bundled by build.js with esbuild): Splunk's dashboard framework
// renders a Dashboard Studio definition, and Splunk's validator checks definitions against the
// schema the framework builds from its presets. The data sources ('ds.search', 'ds.chain')
// answer each search from window.__ANSWERS, keyed by the search text after token
// substitution: the results computed from the command's real findings on the demo data. A
// search without an answer is an error shown in its panel (and recorded), never an empty table.
import React from 'react';
import { createRoot } from 'react-dom/client';
import DashboardCore from '@splunk/dashboard-core';
import { DashboardContextProvider } from '@splunk/dashboard-context';
import EnterpriseViewOnlyPreset from '@splunk/dashboard-presets/EnterpriseViewOnlyPreset';
import TestDataSource from '@splunk/datasources/TestDataSource';
import { DashboardValidator } from '@splunk/dashboard-validation';
import { createSchemaBasedOnPresets } from '@splunk/dashboard-definition';

window.__REQUESTS = [];

const SplunkSearch = EnterpriseViewOnlyPreset.dataSources['ds.search'];

class AnswerDataSource extends TestDataSource {
  // The preset's ds.search configuration (options schema, chaining: a ds.chain may extend it).
  static config = SplunkSearch.config;

  static schema = SplunkSearch.schema;

  constructor(options = {}, context = {}, meta = {}, baseChainModel = {}) {
    const answer = (window.__ANSWERS || {})[options.query];
    window.__REQUESTS.push({ query: options.query, extend: options.extend || null, answered: !!answer, base: Object.keys(baseChainModel || {}) });
    super(answer ? { data: answer } : { error: `no answer for search: ${options.query}` }, context);
  }
}

const preset = {
  ...EnterpriseViewOnlyPreset,
  dataSources: { ...EnterpriseViewOnlyPreset.dataSources, 'ds.search': AnswerDataSource },
};

let validator = null;
window.__validate = (definition) => {
  if (!validator) {
    validator = new DashboardValidator();
    const err = validator.setSchema(createSchemaBasedOnPresets(EnterpriseViewOnlyPreset));
    if (err) throw err;
  }
  return validator.validate(definition) || [];
};

window.__render = (definition) => {
  createRoot(document.getElementById('root')).render(
    <DashboardContextProvider preset={preset} initialDefinition={definition}>
      <DashboardCore width="100%" height="100%" />
    </DashboardContextProvider>,
  );
};
