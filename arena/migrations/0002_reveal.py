from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Reveal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.OneToOneField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='reveal', on_delete=OnDelete.CASCADE)),
                ('frozen', fields.BooleanField(default=False)),
                ('snapshot', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('revealed', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reveal', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The public screens of a round during the results meeting: frozen, then revealed step by step.'},
            bases=['Model'],
        ),
    ]
