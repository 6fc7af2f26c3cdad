using Confluent.Kafka;

namespace Monitor.Ingest;

/// <summary>Producing that waits for room instead of failing when librdkafka's local queue is full.</summary>
public static class ProducerExtensions
{
    public static void ProduceWhenRoom(this IProducer<string, byte[]> producer, string topic, string key, byte[] value) =>
        producer.ProduceWhenRoom(topic, new Message<string, byte[]> { Key = key, Value = value });

    /// <summary>Produces <paramref name="message"/>, waiting while the local queue is full; other errors are thrown.</summary>
    public static void ProduceWhenRoom(this IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message,
        Action<DeliveryReport<string, byte[]>>? delivered = null)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, delivered);
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }
}
