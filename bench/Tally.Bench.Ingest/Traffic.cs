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

    /// <summary>
    /// A batch body as bytes with the offsets of its 32-character message ids, so the load generator can stamp fresh
    /// ids into a copy per request instead of building JSON: building it cost the generator ~2 µs an event, CPU that
    /// the collector under test then lacked on the shared two cores.
    /// </summary>
    public static BatchTemplate Template(Random rnd, int size)
    {
        var bytes = Encoding.UTF8.GetBytes(Batch(rnd, size));
        var marker = "\"messageId\":\""u8;
        var offsets = new List<int>(size);
        for (var i = bytes.AsSpan().IndexOf(marker); i >= 0;)
        {
            offsets.Add(i + marker.Length);
            var next = bytes.AsSpan(i + marker.Length).IndexOf(marker);
            i = next < 0 ? -1 : i + marker.Length + next;
        }
        return new BatchTemplate(bytes, [.. offsets]);
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

/// <summary>A prepared batch body and where its message ids sit.</summary>
internal sealed record BatchTemplate(byte[] Body, int[] IdOffsets)
{
    private static int _streams;

    /// <summary>A number no other sender in this process has, so two phases or connections never repeat an id.</summary>
    public static int NextStream() => Interlocked.Increment(ref _streams);

    /// <summary>Copies the body into <paramref name="into"/> with unique ids: the sender's stream and a running counter in hex.</summary>
    public void Stamp(byte[] into, int stream, ref long counter)
    {
        Body.CopyTo(into, 0);
        foreach (var offset in IdOffsets)
        {
            var id = ((ulong)(uint)stream << 40) | (ulong)counter++;
            // 32 hex digits: 16 of a per-process random prefix and 16 of the id, so reruns never repeat an id.
            Prefix.CopyTo(into, offset);
            id.TryFormat(into.AsSpan(offset + 16, 16), out _, "x16");
        }
    }

    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")[..16]);
}
