using System.Data.Common;
using System.Globalization;

namespace Funnel.Storage.Internal;

/// <summary>Small ADO.NET helpers: every value goes in as a parameter.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is built only from constant fragments of this library; values are parameters.
        command.CommandText = text;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static long ToLong(object value) => value is DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    public static string Name(string prefix, int index) => string.Concat(prefix, index.ToString(CultureInfo.InvariantCulture));

    public static DateTimeOffset ToTime(long utcTicks, int offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    public static int OffsetMinutes(DateTimeOffset value) => (int)value.Offset.TotalMinutes;

    public static string? GetNullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
