export {
  type ConnectorResultsSourceOptions,
  createConnectorResultsSource,
  learningResultsOf,
} from './connector-results-source.ts';
