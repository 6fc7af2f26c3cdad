using Confluent.Kafka;

namespace Monitor.Ingest;

/// <summary>Producing that waits for room instead of failing when librdkafka's local queue is full.</summary>
public static class ProducerExtensions
{
    public static void ProduceWhenRoom(this IProducer<string, byte[]> producer, string topic, string key, byte[] value)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = value });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }
}
