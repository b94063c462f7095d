using System.Text;
using Tally.Core.Plans;

namespace Tally.Server.Governance;

/// <summary>
/// DDL for reading an export where it lands: an Athena table with partition projection on env/dt/hr (no crawler,
/// no MSCK REPAIR), and a ClickHouse query over the files.
/// </summary>
public static class ExportDdl
{
    public static string Athena(TrackingPlan plan, string table, string location)
    {
        var sb = new StringBuilder();
        sb.Append("CREATE EXTERNAL TABLE IF NOT EXISTS ").Append(table).Append(" (\n");
        sb.Append("  event_id string,\n  event string,\n  ts timestamp,\n  anonymous_id string,\n  user_id string,\n  session_id string,\n  source string,\n  count bigint,\n");
        sb.Append("  properties struct<\n");
        var props = plan.Properties.Where(p => p.Export).ToList();
        for (var i = 0; i < props.Count; i++)
            sb.Append("    `").Append(props[i].Name).Append("`: ").Append(HiveType(props[i])).Append(i < props.Count - 1 ? ",\n" : "\n");
        sb.Append("  >\n)\n");
        sb.Append("PARTITIONED BY (env string, dt string, hr string)\n");
        sb.Append("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n");
        sb.Append("LOCATION '").Append(location.TrimEnd('/')).Append("/events/'\n");
        sb.Append("TBLPROPERTIES (\n");
        sb.Append("  'projection.enabled' = 'true',\n");
        sb.Append("  'projection.env.type' = 'enum',\n");
        sb.Append("  'projection.env.values' = '").Append(string.Join(",", plan.Environments)).Append("',\n");
        sb.Append("  'projection.dt.type' = 'date',\n  'projection.dt.format' = 'yyyy-MM-dd',\n  'projection.dt.range' = '2020-01-01,NOW',\n");
        sb.Append("  'projection.hr.type' = 'integer',\n  'projection.hr.range' = '0,23',\n  'projection.hr.digits' = '2',\n");
        sb.Append("  'storage.location.template' = '").Append(location.TrimEnd('/')).Append("/events/env=${env}/dt=${dt}/hr=${hr}/'\n);\n");
        return sb.ToString();
    }

    public static string ClickHouse(string root) =>
        "-- Reads every exported row; the path columns come from the Hive layout.\n" +
        "SELECT event_id, event, ts, env, session_id, properties\n" +
        $"FROM file('{root.TrimEnd('/')}/events/env=*/dt=*/hr=*/part-*.json.gz', 'JSONEachRow',\n" +
        "  'event_id String, event String, ts String, env String, anonymous_id String, user_id String, session_id String, source String, count UInt64, properties String')\n" +
        "-- On servers older than 19.x (no globs in file()), load each file instead:\n" +
        "--   zcat part-0000.json.gz | clickhouse-client --query \"INSERT INTO mw_events_v1 FORMAT JSONEachRow\"\n";

    private static string HiveType(PropertyDefinition p) => p.Privacy == PrivacyPolicy.Length ? "bigint" : p.Type switch
    {
        PropertyType.Integer => "bigint",
        PropertyType.Number => "double",
        PropertyType.Boolean => "boolean",
        PropertyType.Array => $"array<{(p.Items is null ? "string" : HiveType(p.Items))}>",
        PropertyType.Object when !p.OpenObject =>
            "struct<" + string.Join(", ", p.Properties.Where(x => x.Export).Select(x => $"`{x.Name}`: {HiveType(x)}")) + ">",
        _ => "string",
    };
}
