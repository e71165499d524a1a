using System.Buffers.Binary;
using System.Text;

namespace Funnel.Storage.ClickHouse;

/// <summary>Writes rows in ClickHouse's RowBinary format (little-endian numbers, LEB128-prefixed UTF-8 strings).</summary>
internal sealed class RowBinaryWriter : IDisposable
{
    private readonly byte[] _scratch = new byte[16];
    private MemoryStream _stream = new();

    /// <summary>Hands over the rows written so far (the HTTP client disposes the stream it sends) and starts a new batch.</summary>
    public MemoryStream TakeBatch()
    {
        var batch = _stream;
        batch.Position = 0;
        _stream = new MemoryStream();
        return batch;
    }

    public void WriteByte(byte value) => _stream.WriteByte(value);

    public void Dispose() => _stream.Dispose();

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
        _stream.Write(_scratch, 0, 4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
        _stream.Write(_scratch, 0, 8);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_scratch, value);
        _stream.Write(_scratch, 0, 8);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var n = 0;
        var rest = (uint)length;
        do
        {
            var b = (byte)(rest & 0x7F);
            rest >>= 7;
            _scratch[n++] = rest == 0 ? b : (byte)(b | 0x80);
        }
        while (rest != 0);
        _stream.Write(_scratch, 0, n);
        var start = (int)_stream.Position;
        _stream.SetLength(start + length);
        Encoding.UTF8.GetBytes(value, _stream.GetBuffer().AsSpan(start, length));
        _stream.Position = start + length;
    }

    public void WriteNullableString(string? value)
    {
        _stream.WriteByte(value is null ? (byte)1 : (byte)0);
        if (value is not null)
        {
            WriteString(value);
        }
    }
}

/// <summary>Reads RowBinary rows from a stream with a growing buffer; every read awaits only when the buffer runs dry.</summary>
internal sealed class RowBinaryReader
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _position;
    private int _length;

    public RowBinaryReader(Stream stream) => _stream = stream;

    /// <summary>Returns <see langword="true"/> when another row starts here, <see langword="false"/> at the end of the stream.</summary>
    public async ValueTask<bool> HasMoreAsync(CancellationToken cancellationToken) => _position < _length || await FillAsync(1, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> ReadInt32Async(CancellationToken cancellationToken)
    {
        await EnsureAsync(4, cancellationToken).ConfigureAwait(false);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_position));
        _position += 4;
        return value;
    }

    public async ValueTask<long> ReadInt64Async(CancellationToken cancellationToken)
    {
        await EnsureAsync(8, cancellationToken).ConfigureAwait(false);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_position));
        _position += 8;
        return value;
    }

    public async ValueTask<string> ReadStringAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        var shift = 0;
        while (true)
        {
            await EnsureAsync(1, cancellationToken).ConfigureAwait(false);
            var b = _buffer[_position++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        await EnsureAsync(length, cancellationToken).ConfigureAwait(false);
        var value = Encoding.UTF8.GetString(_buffer, _position, length);
        _position += length;
        return value;
    }

    public async ValueTask<string?> ReadNullableStringAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(1, cancellationToken).ConfigureAwait(false);
        return _buffer[_position++] != 0 ? null : await ReadStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_length - _position < count && !await FillAsync(count, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException("The ClickHouse server's RowBinary answer ends in the middle of a row.");
        }
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_position > 0)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _length - _position);
            _length -= _position;
            _position = 0;
        }

        if (count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        }

        while (_length < count)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _length += read;
        }

        return true;
    }
}
