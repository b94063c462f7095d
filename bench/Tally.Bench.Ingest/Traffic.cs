using System.Text;

/// <summary>Realistic Aurora widget traffic: sessions opening the widget, detecting intents, showing products.</summary>
internal static class Traffic
{
    private static readonly string[] Intents = ["find_product", "track_order", "return_exchange"];

    public static string Batch(Random rnd, int size)
    {
        var sb = new StringBuilder(size * 300);
        sb.Append("{\"batch\":[");
        for (var i = 0; i < size; i++)
        {
            if (i > 0) sb.Append(',');
            Event(sb, rnd);
        }
        sb.Append("],\"sentAt\":\"").Append(DateTime.UtcNow.ToString("O")).Append("\"}");
        return sb.ToString();
    }

    public static string Single(Random rnd)
    {
        var sb = new StringBuilder(400);
        Event(sb, rnd);
        return sb.ToString();
    }

    private static void Event(StringBuilder sb, Random rnd)
    {
        var session = $"s-{rnd.Next(1_000_000)}";
        var now = DateTime.UtcNow.ToString("O");
        sb.Append("{\"type\":\"track\",\"messageId\":\"").Append(Guid.NewGuid().ToString("N"))
          .Append("\",\"anonymousId\":\"a-").Append(rnd.Next(1_000_000)).Append("\",\"timestamp\":\"").Append(now).Append('"');
        switch (rnd.Next(3))
        {
            case 0:
                sb.Append(",\"event\":\"aurora_widget_open\",\"properties\":{\"sessionId\":\"").Append(session)
                  .Append("\",\"requestId\":\"r-").Append(rnd.Next()).Append("\",\"source\":\"launcher\"}");
                break;
            case 1:
                sb.Append(",\"event\":\"aurora_intent_detected\",\"properties\":{\"sessionId\":\"").Append(session)
                  .Append("\",\"requestId\":\"r-").Append(rnd.Next()).Append("\",\"intent\":\"").Append(Intents[rnd.Next(3)]).Append("\"}");
                break;
            default:
                sb.Append(",\"event\":\"aurora_products_shown\",\"properties\":{\"sessionId\":\"").Append(session)
                  .Append("\",\"requestId\":\"r-").Append(rnd.Next()).Append("\",\"intent\":\"find_product\",\"productIds\":[\"p1\",\"p2\",\"p3\"],\"readyToShipCount\":2}");
                break;
        }
        sb.Append(",\"context\":{\"library\":{\"name\":\"analytics-node\",\"version\":\"3.1.0\"},\"ip\":\"203.0.113.7\"}}");
    }
}
