using System.Globalization;
using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>
/// The rules for the typed fields of a CSV event log (stage, timestamp, loss reason) and the reasons of the row
/// errors, shared by the streaming <see cref="TransitionLogCsvReader"/> and the file fast path
/// (<see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>) so that both read every field the same way.
/// </summary>
/// <remarks>Immutable after construction; thread-safe.</remarks>
internal sealed class CsvFieldParser
{
    private const int ShownLength = 64;
    private const string NumberWhiteSpace = " \t\n\v\f\r";

    private readonly string _definitionKey;
    private readonly string[] _stageKeys;
    private readonly string[] _reasonKeys;
    private readonly CsvTimestampUnit _unit;
    private readonly string? _format;

    public CsvFieldParser(FunnelDefinition definition, TransitionLogCsvOptions options)
    {
        _definitionKey = definition.Key;
        _stageKeys = definition.Stages.Select(s => s.Key.Value).ToArray();
        _reasonKeys = definition.LossReasons.Select(r => r.Key.Value).ToArray();
        _unit = options.TimestampUnit;
        _format = options.TimestampFormat;
        Guard.Against.UndefinedEnum(_unit, "The timestamp unit is not a CsvTimestampUnit value.", nameof(options));

        if (_format is not null && string.IsNullOrWhiteSpace(_format))
        {
            throw new ArgumentException("The timestamp format is blank; leave it null for Unix numbers and ISO 8601.", nameof(options));
        }
    }

    /// <summary>Gets the stage keys, indexed by ordinal.</summary>
    public IReadOnlyList<string> StageKeys => _stageKeys;

    /// <summary>Gets the loss-reason keys, indexed by ordinal.</summary>
    public IReadOnlyList<string> ReasonKeys => _reasonKeys;

    /// <summary>Gets a value indicating whether a plain integer is Unix seconds (no unit option, no format option): the fast path's shortcut.</summary>
    public bool IntegersAreSeconds => _unit == CsvTimestampUnit.Seconds && _format is null;

    /// <summary>Reads a stage field: a stage key (exact), else a stage ordinal (white space around it allowed).</summary>
    /// <returns><see langword="null"/>, or why the field is bad.</returns>
    public RowFault? ParseStage(ReadOnlySpan<char> text, out int stage)
    {
        stage = IndexOf(_stageKeys, text);
        if (stage >= 0)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out stage) && stage < _stageKeys.Length)
        {
            return null;
        }

        return new RowFault(
            RowErrorKind.UnknownStage,
            $"{Show(text)} is neither a stage key of '{_definitionKey}' nor a stage ordinal 0..{_stageKeys.Length - 1}{SpaceNote(text)}",
            text.ToString());
    }

    /// <summary>Reads a loss-reason field: empty for none, a loss-reason key (exact), else an ordinal (-1 for none).</summary>
    /// <returns><see langword="null"/>, or why the field is bad.</returns>
    public RowFault? ParseReason(ReadOnlySpan<char> text, out short reason)
    {
        reason = TransitionLog.NoLossReason;
        if (text.IsEmpty)
        {
            return null;
        }

        var ordinal = IndexOf(_reasonKeys, text);
        if (ordinal < 0
            && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ordinal) || ordinal < TransitionLog.NoLossReason || ordinal >= _reasonKeys.Length))
        {
            return new RowFault(
                RowErrorKind.UnknownLossReason,
                $"{Show(text)} is neither a loss-reason key of '{_definitionKey}' nor a loss-reason ordinal 0..{_reasonKeys.Length - 1} (empty or -1 for none){SpaceNote(text)}",
                text.ToString());
        }

        reason = (short)ordinal;
        return null;
    }

    /// <summary>
    /// Reads a timestamp field to whole Unix seconds within the years 1 to 9999: with a format option, only that
    /// format; otherwise integer or fractional Unix numbers in the unit of the options (floored to seconds) or ISO
    /// 8601 (<c>yyyy-MM-dd</c>, <c>T</c> or a space, <c>HH:mm</c>, optional <c>:ss</c> and fraction, then <c>Z</c>,
    /// <c>±HH:mm</c>, <c>±HHmm</c>, <c>±HH</c>, <c> UTC</c> or nothing for UTC). White space around the text is allowed.
    /// </summary>
    /// <returns><see langword="null"/>, or why the field is bad.</returns>
    public RowFault? ParseTimestamp(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = 0;
        if (_format is not null)
        {
            if (!DateTimeOffset.TryParseExact(text, _format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return new RowFault(RowErrorKind.InvalidTimestamp, $"{Show(text)} does not have the timestamp format '{_format}' (TransitionLogCsvOptions.TimestampFormat)", text.ToString());
            }

            seconds = parsed.ToUnixTimeSeconds();
            return RangeError(seconds, text, CsvTimestampUnit.Seconds);
        }

        var trimmed = text.Trim(NumberWhiteSpace);
        var number = ParseUnixNumber(trimmed, out var value);
        if (number == NumberShape.Overflow)
        {
            return new RowFault(RowErrorKind.TimestampOutOfRange, $"{Show(text)} is an integer outside the range of int64 Unix {UnitName(_unit)}", text.ToString());
        }

        if (number == NumberShape.Number)
        {
            seconds = _unit switch
            {
                CsvTimestampUnit.Milliseconds => FloorDivide(value, 1000L),
                CsvTimestampUnit.Microseconds => FloorDivide(value, 1_000_000L),
                _ => value,
            };
            return RangeError(seconds, text, _unit);
        }

        if (TryParseIso(trimmed, out seconds))
        {
            return RangeError(seconds, text, CsvTimestampUnit.Seconds);
        }

        return new RowFault(RowErrorKind.InvalidTimestamp, $"{Show(text)} is neither Unix seconds nor an ISO 8601 date and time", text.ToString());
    }

    /// <summary>The reason for a row whose field count differs from the header's, with the field at fault.</summary>
    public static (int Field, RowFault Fault) FieldCountError(int found, IReadOnlyList<string> headerNames)
    {
        var expected = headerNames.Count;
        return found < expected
            ? (found, new RowFault(RowErrorKind.FieldCount, $"expected {expected} fields as in the header, found {found}: the row ends before column {found + 1} '{headerNames[found]}'", null))
            : (expected, new RowFault(RowErrorKind.FieldCount, $"expected {expected} fields as in the header, found {found}: field {expected + 1} has no column in the header", null));
    }

    /// <summary>The reason for text after the closing quote of a quoted field.</summary>
    public const string TextAfterQuoteReason = "text follows the closing quote of this quoted field; a quote inside a quoted field must be doubled (\"\")";

    /// <summary>The reason for an empty entity field.</summary>
    public const string EmptyEntityReason = "the entity is empty";

    /// <summary>The reason for an empty line.</summary>
    public const string EmptyLineReason = "the line is empty";

    /// <summary>Quotes a field's text for a message, with line breaks and tabs escaped and long text cut.</summary>
    public static string Show(ReadOnlySpan<char> text)
    {
        var shown = new StringBuilder("'");
        foreach (var c in text.Length > ShownLength ? text[..ShownLength] : text)
        {
            shown.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        shown.Append('\'');
        if (text.Length > ShownLength)
        {
            shown.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
        }

        return shown.ToString();
    }

    private static string SpaceNote(ReadOnlySpan<char> text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            ? "; keys are matched exactly and this text has white space at its start or end"
            : string.Empty;

    private static int IndexOf(string[] keys, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (text.SequenceEqual(keys[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string UnitName(CsvTimestampUnit unit) => unit switch
    {
        CsvTimestampUnit.Milliseconds => "milliseconds",
        CsvTimestampUnit.Microseconds => "microseconds",
        _ => "seconds",
    };

    private static RowFault? RangeError(long seconds, ReadOnlySpan<char> text, CsvTimestampUnit unit) =>
        RangeReason(seconds, text, unit) is { } reason ? new RowFault(RowErrorKind.TimestampOutOfRange, reason, text.ToString()) : null;

    private static string? RangeReason(long seconds, ReadOnlySpan<char> text, CsvTimestampUnit unit)
    {
        if (seconds is >= TransitionLog.MinTimestamp and <= TransitionLog.MaxTimestamp)
        {
            return null;
        }

        var range = $"outside the years 1 to 9999 ({TransitionLog.MinTimestamp}..{TransitionLog.MaxTimestamp} Unix seconds)";
        if (unit != CsvTimestampUnit.Seconds)
        {
            return $"{Show(text)} is {range} as Unix {UnitName(unit)}";
        }

        var digits = text.Trim(NumberWhiteSpace).TrimStart("+-");
        var dot = digits.IndexOf('.');
        var whole = dot < 0 ? digits.Length : dot;
        var hint = whole switch
        {
            13 => "; 13 digits look like Unix milliseconds: set TransitionLogCsvOptions.TimestampUnit to Milliseconds",
            16 => "; 16 digits look like Unix microseconds: set TransitionLogCsvOptions.TimestampUnit to Microseconds",
            _ => string.Empty,
        };
        return $"{seconds} is {range}{hint}";
    }

    private enum NumberShape
    {
        NotANumber,
        Number,
        Overflow,
    }

    /// <summary>An optional sign, digits, and optionally a point and more digits; floored to an integer.</summary>
    private static NumberShape ParseUnixNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            i = 1;
        }

        var digitsStart = i;
        ulong magnitude = 0;
        var overflow = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            var digit = (ulong)(text[i] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                overflow = true;
            }
            else
            {
                magnitude = (magnitude * 10) + digit;
            }

            i++;
        }

        if (i == digitsStart)
        {
            return NumberShape.NotANumber;
        }

        var fractionNonZero = false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                fractionNonZero |= text[i] != '0';
                i++;
            }

            if (i == fractionStart)
            {
                return NumberShape.NotANumber;
            }
        }

        if (i != text.Length)
        {
            return NumberShape.NotANumber;
        }

        // Floor: -12.5 is -13, 12.5 is 12.
        var limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        if (overflow || magnitude > limit)
        {
            return NumberShape.Overflow;
        }

        if (negative)
        {
            if (fractionNonZero)
            {
                if (magnitude == limit)
                {
                    return NumberShape.Overflow;
                }

                magnitude++;
            }

            value = magnitude == limit ? long.MinValue : -(long)magnitude;
        }
        else
        {
            value = (long)magnitude;
        }

        return NumberShape.Number;
    }

    private static long FloorDivide(long value, long divisor)
    {
        var (quotient, remainder) = Math.DivRem(value, divisor);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static bool TryParseIso(ReadOnlySpan<char> t, out long seconds)
    {
        seconds = 0;
        // yyyy-MM-dd?HH:mm
        if (t.Length < 16 || t[4] != '-' || t[7] != '-' || t[10] is not ('T' or ' ') || t[13] != ':'
            || !Digits(t, 0, 4, out var year) || !Digits(t, 5, 2, out var month) || !Digits(t, 8, 2, out var day)
            || !Digits(t, 11, 2, out var hour) || !Digits(t, 14, 2, out var minute))
        {
            return false;
        }

        var i = 16;
        var second = 0;
        if (i < t.Length && t[i] == ':')
        {
            if (!Digits(t, i + 1, 2, out second))
            {
                return false;
            }

            i += 3;
            if (i < t.Length && t[i] == '.')
            {
                var start = ++i;
                while (i < t.Length && char.IsAsciiDigit(t[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    return false;
                }
            }
        }

        long offsetSeconds = 0;
        var zone = t[i..];
        if (zone.IsEmpty || zone is "Z" || zone is " UTC")
        {
            // UTC.
        }
        else if (zone[0] is '+' or '-')
        {
            var sign = zone[0] == '-' ? -1 : 1;
            int offsetHours;
            var offsetMinutes = 0;
            var ok = zone.Length switch
            {
                3 => Digits(zone, 1, 2, out offsetHours),
                5 => Digits(zone, 1, 2, out offsetHours) && Digits(zone, 3, 2, out offsetMinutes),
                6 => Digits(zone, 1, 2, out offsetHours) && zone[3] == ':' && Digits(zone, 4, 2, out offsetMinutes),
                _ => Fail(out offsetHours),
            };
            if (!ok || offsetHours > 14 || offsetMinutes > 59 || (offsetHours == 14 && offsetMinutes > 0))
            {
                return false;
            }

            offsetSeconds = sign * ((offsetHours * 3600L) + (offsetMinutes * 60L));
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        seconds = (days * 86_400L) + (hour * 3600L) + (minute * 60L) + second - offsetSeconds;
        return true;

        static bool Fail(out int value)
        {
            value = 0;
            return false;
        }
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
