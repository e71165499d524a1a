namespace Funnel.Core.Bulk;

/// <summary>The unit of integer and fractional Unix timestamps in a CSV event log (<see cref="TransitionLogCsvOptions.TimestampUnit"/>).</summary>
/// <remarks>
/// The unit is never guessed from the size of a number: Unix milliseconds and microseconds are read only when the
/// options say so. A number that would be milliseconds (13 digits) or microseconds (16 digits) read as seconds
/// falls outside the years 1 to 9999, and its row error names this option.
/// </remarks>
public enum CsvTimestampUnit
{
    /// <summary>Unix seconds (the default).</summary>
    Seconds = 0,

    /// <summary>Unix milliseconds; floored to whole seconds.</summary>
    Milliseconds = 1,

    /// <summary>Unix microseconds; floored to whole seconds.</summary>
    Microseconds = 2,
}
