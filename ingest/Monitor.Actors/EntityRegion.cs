using Akka.Actor;
using Monitor.Messages;

namespace Monitor.Actors;

/// <summary>
/// A single-node stand-in for an Akka.Cluster.Sharding region: it asks the same <see cref="EntityExtractor"/>
/// for the entity id, creates the entity's actor on first use and forwards. Entity failures resume the
/// actor with its state; a bug in one event must not erase a user's history.
/// </summary>
public sealed class EntityRegion : ReceiveActor
{
    private readonly EntityExtractor _extractor;
    private readonly Func<string, Props> _entityProps;
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);

    public EntityRegion(EntityExtractor extractor, Func<string, Props> entityProps)
    {
        _extractor = extractor;
        _entityProps = entityProps;
        ReceiveAny(Route);
    }

    public static Props Props(EntityExtractor extractor, Func<string, Props> entityProps) =>
        Akka.Actor.Props.Create(() => new EntityRegion(extractor, entityProps));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex => ex switch
    {
        ActorInitializationException => Directive.Stop,
        _ => Directive.Resume,
    });

    private void Route(object message)
    {
        var id = _extractor.EntityId(message);
        if (!_entities.TryGetValue(id, out var entity))
        {
            entity = Context.ActorOf(_entityProps(id), Uri.EscapeDataString(id));
            _entities[id] = entity;
        }
        entity.Forward(_extractor.EntityMessage(message));
    }
}
