"""
People indexes an import does not pay for.

- The precinct filter reads person_precinct_words, which leads with chapter and
  precinct (btree_gin), so the btree on chapter and precinct goes.
- The ladder index keeps only people above "unknown": imports bring everyone in
  at "unknown", and a ladder filter looks for the few who climbed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chapters', '0002_initial'),
        ('data_vault', '0007_lighter_people_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='person',
            name='person_precinct',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='person_ladder',
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(condition=models.Q(('ladder', 'unknown'), _negated=True), fields=['chapter', 'ladder'], name='person_ladder_climbed'),
        ),
    ]
