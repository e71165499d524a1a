using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Generated hostile CSV files for <see cref="TransitionLogCsvFastPathTests"/>: CSV hazards, look-alikes and damage, cut into tiny chunks and buffers.</summary>
internal static class CsvFastPathGenerators
{
    /// <summary>Pieces of text that fields are made of: CSV hazards, look-alikes, numbers, dates, stage and reason keys.</summary>
    private static readonly string[] Pieces =
    [
        "\"", "\"\"", ",", ";", "\t", "\r", "\n", "\r\n", " ", "a", "A", "0", "07", "-1", "12.5", "caf\u00e9", "cafe\u0301",
        "\ud83d\ude00", "\uFEFF", "\u65e5", "attention", "interest", "price", "1767225600", "1767225600000",
        "2026-01-01T00:00:00Z", "2026-01-01 01:00:00+01:00", "26-02-2018 19:58",
    ];

    internal sealed record FileCase(byte[] Bytes, char Delimiter, long ChunkBytes, int BufferBytes, CsvTimestampUnit Unit)
    {
        public override string ToString() =>
            $"delimiter U+{(int)Delimiter:X4}, chunk {ChunkBytes} bytes, buffer {BufferBytes}, unit {Unit}, bytes:\n{Escape(Bytes)}";

        private static string Escape(byte[] bytes) =>
            string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}"));
    }

    private static Gen<string> FieldText(char delimiter) => Gen.OneOf(
        Gen.Elements(Pieces).ListOf().Where(p => p.Count <= 4).Select(p => string.Concat(p)),
        Gen.Elements("attention", "interest", "desire", "action", "0", "3", "9", " 1 "),
        Gen.Elements("1767225600", "-5", "12.75", "2026-01-01T00:00:00Z", "1767225600000", "9223372036854775808", "x"),
        Gen.Elements("", "price", "-1", "2", "nope"),
        Gen.Elements(Pieces).Select(p => p + delimiter),
        Digits());

    /// <summary>
    /// Runs of 1 to 16 digits (keys found by value, Unix seconds of every length, read eight bytes at a time by the fast
    /// path), with a leading zero or a minus now and then, and now and then one byte next to the digits in ASCII ('/',
    /// ':') or another non-digit in the middle.
    /// </summary>
    private static Gen<string> Digits() =>
        from digits in Gen.Elements("0123456789".ToCharArray()).ArrayOf().Where(d => d.Length is >= 1 and <= 16)
        from sign in Gen.Frequency((6, Gen.Constant(string.Empty)), (1, Gen.Constant("-")))
        from flaw in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, digits.Length - 1)))
        from bad in Gen.Elements('/', ':', '.', 'a', ' ', '\u0660')
        select sign + (flaw < 0 ? new string(digits) : new string(digits).Remove(flaw, 1).Insert(flaw, bad.ToString()));

    /// <summary>A field as written: plain, quoted (quotes doubled), or quoted with text after the closing quote.</summary>
    private static Gen<string> Written(string text) =>
        Gen.Frequency(
            (6, Gen.Constant(text)),
            (6, Gen.Constant("\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")),
            (1, Gen.Constant("\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"x")));

    private static Gen<string> Row(char delimiter, int columns) =>
        from count in Gen.Frequency((8, Gen.Constant(columns)), (1, Gen.Choose(0, columns + 2)))
        from fields in FieldText(delimiter).SelectMany(Written).ListOf(count)
        select string.Join(delimiter, fields);

    internal static Arbitrary<FileCase> Files() =>
        (from delimiter in Gen.Elements(',', ',', ';', '\t')
         from header in Gen.Elements(
             new[] { "entity", "stage", "timestamp", "loss_reason" },
             new[] { "timestamp", "Entity", "stage" },
             new[] { "entity", "stage", "timestamp", "loss_reason", "segment" },
             new[] { "extra", "segment", "stage", "entity", "timestamp" })
         from rows in Row(delimiter, header.Length).ListOf().Where(r => r.Count <= 25)
         from ends in Gen.Elements("\n", "\r\n", "\r").ListOf(rows.Count + 1)
         from bom in Gen.Frequency((4, Gen.Constant(string.Empty)), (2, Gen.Constant("\uFEFF")), (1, Gen.Constant("\uFEFF\uFEFF")))
         from lastEnd in Gen.Elements(true, false)
         from damage in Gen.Frequency((12, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
         from chunkBytes in Gen.Choose(1, 48)
         from bufferBytes in Gen.Choose(1, 64)
         from unit in Gen.Frequency((4, Gen.Constant(CsvTimestampUnit.Seconds)), (1, Gen.Constant(CsvTimestampUnit.Milliseconds)))
         select Build(delimiter, header, rows, ends, bom, lastEnd, damage, chunkBytes, bufferBytes, unit))
        .ToArbitrary();

    private static FileCase Build(char delimiter, string[] header, List<string> rows, List<string> ends, string bom, bool lastEnd, int damage, int chunkBytes, int bufferBytes, CsvTimestampUnit unit)
    {
        var text = new StringBuilder(bom).Append(string.Join(delimiter, header)).Append(ends[0]);
        for (var i = 0; i < rows.Count; i++)
        {
            text.Append(rows[i]);
            if (i < rows.Count - 1 || lastEnd)
            {
                text.Append(ends[i + 1]);
            }
        }

        var bytes = new List<byte>(Encoding.UTF8.GetBytes(text.ToString()));
        if (damage == 1 && bytes.Count > 0)
        {
            bytes.Insert(bytes.Count / 2, 0xC3); // a lone lead byte: not UTF-8
        }
        else if (damage == 2)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes("\"never closed,\nnext,attention,5,\n"));
        }

        return new FileCase([.. bytes], delimiter, chunkBytes, bufferBytes, unit);
    }
}
