// Environment → Database (/admin_console/environment/database): shown, not edited here
// (a database change needs a restart; the data source comes back masked).
import { ConfigSection } from './ConfigSection';

export default function Database() {
  return (
    <ConfigSection
      title="Database"
      readOnly
      intro={<p className="console-help">These settings are read-only here: change them in the configuration file or with MM_SQLSETTINGS_* variables, then restart the server.</p>}
      groups={[
        {
          title: 'Connection',
          fields: [
            { key: 'SqlSettings.DriverName', label: 'Driver name', kind: 'text' },
            { key: 'SqlSettings.DataSource', label: 'Data source', kind: 'text' },
            { key: 'SqlSettings.MaxIdleConns', label: 'Maximum idle connections', kind: 'number' },
            { key: 'SqlSettings.MaxOpenConns', label: 'Maximum open connections', kind: 'number' },
            { key: 'SqlSettings.QueryTimeout', label: 'Query timeout (seconds)', kind: 'number' },
            { key: 'SqlSettings.ConnMaxLifetimeMilliseconds', label: 'Maximum connection lifetime (ms)', kind: 'number' },
            { key: 'SqlSettings.ConnMaxIdleTimeMilliseconds', label: 'Maximum connection idle time (ms)', kind: 'number' },
            { key: 'SqlSettings.Trace', label: 'Trace SQL statements', kind: 'bool' },
          ],
        },
      ]}
    />
  );
}
