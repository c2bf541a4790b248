from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_survey')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InspectionDraw',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='inspection_draws', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=20)),
                ('title', fields.CharField(max_length=100)),
                ('k', fields.IntField(null=True)),
                ('stratify', fields.BooleanField(default=False)),
                ('items', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('strata', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('commitment', fields.CharField(max_length=64)),
                ('secret', fields.CharField(max_length=200)),
                ('public', fields.CharField(default='', max_length=200)),
                ('seed', fields.CharField(default='', max_length=64)),
                ('result', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('committed_by', fields.CharField(max_length=100)),
                ('committed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('drawn_by', fields.CharField(default='', max_length=100)),
                ('drawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inspection_draw', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One commit–reveal draw of a round: villages, the visiting order, or items of a list.'},
            bases=['Model'],
        ),
    ]
